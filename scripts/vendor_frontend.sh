#!/usr/bin/env bash
# vendor_frontend.sh — refresh the vendored front-end files in lagspill/static/vendor/.
#
# Nothing is loaded from a CDN at run time: every third-party front-end file is
# committed under lagspill/static/vendor/. This script rebuilds that folder from
# the pinned npm versions below (bump a version here, run the script, review the
# diff, commit). It needs node/npm and the npm registry; it writes nothing else.
#
#   bash scripts/vendor_frontend.sh
#
# What it does, per package: `npm pack NAME@VERSION` into a temp dir (npm checks
# the registry's integrity hash), extract exactly the files we serve plus the
# package's licence file(s), and write lagspill/static/vendor/VERSIONS.md.
# The Designsystemet CSS is then adjusted for our setup:
#   * `--ds-font-family` (Inter / IBM Plex Mono, neither of which we ship) is
#     replaced by a system-font stack, so pages never fall back to the browser's
#     default serif font and never need a font download;
#   * it checks that no CSS file has @import, @font-face or a url() that is not
#     a data: image (our CSP: style-src 'self'; img-src 'self' data:; font-src
#     'self'), and that no JS/CSS file points at a missing source map (which
#     would break collectstatic with ManifestStaticFilesStorage). Any hit fails.
# The Vega packages (charts, drawn by lagspill/static/js/charts.js) are adjusted too:
#   * the trailing `//# sourceMappingURL=` comment is removed from the minified
#     builds (we do not ship the maps);
#   * vega-interpreter (the CSP-safe expression evaluator: no eval/new Function)
#     is published only as an ES module that imports from 'vega-util'; it is
#     wrapped into a classic script that takes those helpers from the global
#     `vega` (which re-exports vega-util) and defines `vegaInterpreter`;
#   * vega-tooltip's default style sheet (vega-embed would inject it as an inline
#     <style>, which our CSP blocks) is extracted to vega-embed/vega-tooltip.css,
#     with a darker label grey (WCAG AA contrast) and the system-font stack.
# Re-running it with the same pins gives byte-identical output.
set -euo pipefail

# ---- pinned versions -------------------------------------------------------
DS_CSS_VERSION=1.22.0     # @digdir/designsystemet-css  (component CSS)
DS_THEME_VERSION=1.11.0   # @digdir/designsystemet-theme (the "digdir" brand theme)
HTMX_VERSION=2.0.11       # htmx.org, stay on 2.0.x (4.x is a different API)
AXE_VERSION=4.14.1        # axe-core, browser accessibility tests only
VEGA_VERSION=6.4.0              # vega: UMD build, global `vega`
VEGA_LITE_VERSION=6.5.0         # vega-lite: UMD build, global `vegaLite` (needs `vega`)
VEGA_EMBED_VERSION=7.3.0        # vega-embed: UMD build, global `vegaEmbed` (needs `vega`, `vegaLite`)
VEGA_INTERPRETER_VERSION=2.3.2  # vega-interpreter: CSP-safe expressions (same release as vega)
VEGA_TOOLTIP_VERSION=1.1.0      # vega-tooltip: its CSS only; the version vega-embed bundles
# ----------------------------------------------------------------------------

# System font stacks used instead of the theme's web fonts.
SANS_STACK='system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif'
MONO_STACK='ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace'

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENDOR="$ROOT/lagspill/static/vendor"

log() { echo "vendor_frontend: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

command -v npm >/dev/null || die "npm not found (install Node.js)"
command -v node >/dev/null || die "node not found (install Node.js)"

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# fetch SPEC -> unpacks the tarball into $TMP/<dir>/package, prints <dir>;
# also records "integrity<TAB>license" in $TMP/<dir>/meta.
fetch() {
    local spec="$1" dir json
    dir="$(echo "$spec" | tr '@/' '__')"
    mkdir -p "$TMP/$dir"
    log "npm pack $spec"
    json="$(cd "$TMP/$dir" && npm pack --json --silent "$spec" 2>/dev/null)" \
        || die "npm pack $spec failed"
    node -e '
        const [info] = JSON.parse(process.argv[1]);
        process.stdout.write(info.filename + "\t" + info.integrity + "\n");
    ' "$json" > "$TMP/$dir/meta"
    tar -xzf "$TMP/$dir/$(cut -f1 "$TMP/$dir/meta")" -C "$TMP/$dir"
    # licence as declared in package.json
    node -e '
        const p = require(process.argv[1]);
        const l = typeof p.license === "string" ? p.license : (p.license && p.license.type) || "UNKNOWN";
        process.stdout.write(l + "\n");
    ' "$TMP/$dir/package/package.json" >> "$TMP/$dir/meta"
    echo "$dir"
}

integrity() { sed -n 1p "$TMP/$1/meta" | cut -f2; }
license()   { sed -n 2p "$TMP/$1/meta"; }

# copy SRC DEST, failing clearly if the package layout changed
take() {
    [[ -f "$1" ]] || die "expected file missing from package: ${1#"$TMP"/}"
    install -m 0644 "$1" "$2"
}

# ---- download --------------------------------------------------------------
D_CSS="$(fetch "@digdir/designsystemet-css@$DS_CSS_VERSION")"
D_THEME="$(fetch "@digdir/designsystemet-theme@$DS_THEME_VERSION")"
D_HTMX="$(fetch "htmx.org@$HTMX_VERSION")"
D_AXE="$(fetch "axe-core@$AXE_VERSION")"
D_VEGA="$(fetch "vega@$VEGA_VERSION")"
D_VL="$(fetch "vega-lite@$VEGA_LITE_VERSION")"
D_EMBED="$(fetch "vega-embed@$VEGA_EMBED_VERSION")"
D_INTERP="$(fetch "vega-interpreter@$VEGA_INTERPRETER_VERSION")"
D_TOOLTIP="$(fetch "vega-tooltip@$VEGA_TOOLTIP_VERSION")"

# The Vega pins must fit together: vega-lite and vega-embed declare the vega /
# vega-lite they work with, and vega-embed bundles one exact vega-tooltip.
if ! node - "$TMP" "$D_VEGA" "$D_VL" "$D_EMBED" "$D_INTERP" "$D_TOOLTIP" <<'EOF'
const [tmp, ...dirs] = process.argv.slice(2);
const [vega, vl, embed, interp, tooltip] = dirs.map((d) => require(`${tmp}/${d}/package/package.json`));
const num = (v) => v.replace(/^[\^~]/, "").split("-")[0].split(".").map(Number);
const cmp = (a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
// "^X.Y.Z": same major and at least X.Y.Z; "~X.Y.Z": same major.minor; "X.Y.Z": exact; "*": any
const fits = (range, version) => {
  if (range === "*") return true;
  const v = num(version), r = num(range);
  if (range[0] === "^") return v[0] === r[0] && cmp(v, r) >= 0;
  if (range[0] === "~") return v[0] === r[0] && v[1] === r[1] && cmp(v, r) >= 0;
  return cmp(v, r) === 0;
};
let bad = 0;
const need = (who, field, dep) => {
  const range = (who[field] || {})[dep.name];
  if (range !== undefined && !fits(range, dep.version)) {
    console.error(`${who.name}@${who.version} ${field}: ${dep.name} ${range}, pinned ${dep.version}`);
    bad++;
  }
};
need(vl, "peerDependencies", vega);
need(vl, "dependencies", vega);
need(embed, "peerDependencies", vega);
need(embed, "peerDependencies", vl);
need(embed, "dependencies", interp);
need(embed, "dependencies", tooltip);
if (!(embed.dependencies || {})[tooltip.name]) { console.error("vega-embed no longer bundles vega-tooltip"); bad++; }
// vega-interpreter takes its vega-util helpers from the global vega: same vega-util major.
const utilMajor = (p) => num(p.dependencies["vega-util"])[0];
if (utilMajor(interp) !== utilMajor(vega)) { console.error("vega-interpreter and vega use different vega-util majors"); bad++; }
process.exit(bad ? 1 : 0);
EOF
then
    die "the pinned Vega packages do not fit together (see above)"
fi

# ---- extract ---------------------------------------------------------------
VEGA_DIRS=(vega vega-lite vega-embed vega-interpreter)
rm -rf "$VENDOR/designsystemet" "$VENDOR/htmx" "$VENDOR/axe-core"
for d in "${VEGA_DIRS[@]}"; do rm -rf "${VENDOR:?}/$d"; done
mkdir -p "$VENDOR/designsystemet" "$VENDOR/htmx" "$VENDOR/axe-core"
for d in "${VEGA_DIRS[@]}"; do mkdir -p "$VENDOR/$d"; done

P="$TMP/$D_CSS/package"
# package.json "browser" / "." export: dist/src/index.css, all components in one file.
take "$P/dist/src/index.css" "$VENDOR/designsystemet/designsystemet.css"
take "$P/LICENSE" "$VENDOR/designsystemet/LICENSE-designsystemet-css"

P="$TMP/$D_THEME/package"
take "$P/brand/digdir.css" "$VENDOR/designsystemet/theme.css"
take "$P/LICENSE" "$VENDOR/designsystemet/LICENSE-designsystemet-theme"

P="$TMP/$D_HTMX/package"
take "$P/dist/htmx.min.js" "$VENDOR/htmx/htmx.min.js"
take "$P/LICENSE" "$VENDOR/htmx/LICENSE"

P="$TMP/$D_AXE/package"
take "$P/axe.min.js" "$VENDOR/axe-core/axe.min.js"
take "$P/LICENSE" "$VENDOR/axe-core/LICENSE"
take "$P/LICENSE-3RD-PARTY.txt" "$VENDOR/axe-core/LICENSE-3RD-PARTY.txt"

# Vega: the minified UMD builds (package.json "jsdelivr"/"unpkg"). Each defines a
# global (vega, vegaLite, vegaEmbed) and finds its dependencies as globals, so a
# page loads vega, vega-lite, vega-interpreter, vega-embed in this order.
P="$TMP/$D_VEGA/package"
take "$P/build/vega.min.js" "$VENDOR/vega/vega.min.js"
take "$P/LICENSE" "$VENDOR/vega/LICENSE"

P="$TMP/$D_VL/package"
take "$P/build/vega-lite.min.js" "$VENDOR/vega-lite/vega-lite.min.js"
take "$P/LICENSE" "$VENDOR/vega-lite/LICENSE"

P="$TMP/$D_EMBED/package"
take "$P/build/vega-embed.min.js" "$VENDOR/vega-embed/vega-embed.min.js"
take "$P/LICENSE" "$VENDOR/vega-embed/LICENSE"

P="$TMP/$D_TOOLTIP/package"
take "$P/src/style.ts" "$TMP/vega-tooltip-style.ts"
take "$P/LICENSE" "$VENDOR/vega-embed/LICENSE-vega-tooltip"

P="$TMP/$D_INTERP/package"
take "$P/build/vega-interpreter.js" "$TMP/vega-interpreter.module.js"
take "$P/LICENSE" "$VENDOR/vega-interpreter/LICENSE"

# The minified builds end with a sourceMappingURL comment for maps we do not ship.
for f in "$VENDOR/vega/vega.min.js" "$VENDOR/vega-lite/vega-lite.min.js" "$VENDOR/vega-embed/vega-embed.min.js"; do
    perl -0pi -e 's#\n//\# sourceMappingURL=[^\n]*\n?\z#\n#' "$f"
done

# vega-tooltip's CSS: src/style.ts is `export default `...`;` (generated from its
# SCSS); the template literal is the style sheet.
if ! SANS_STACK="$SANS_STACK" node - "$TMP/vega-tooltip-style.ts" "$VENDOR/vega-embed/vega-tooltip.css" "$VEGA_TOOLTIP_VERSION" <<'EOF'
const fs = require("fs");
const [src, dest, version] = process.argv.slice(2);
const m = fs.readFileSync(src, "utf8").match(/^export default `([^`$\\]*)`;\s*$/m);
if (!m || !m[1].includes("#vg-tooltip-element")) process.exit(1);
// Two changes: the light theme's grey labels (#808080, 3.9:1 on white) get #595959 (7:1, WCAG AA),
// and the font is the site's system stack instead of the browser's default sans-serif.
let css = m[1];
const edits = [
  [/(td\.key \{\n  color: )#808080;/, "$1#595959;"],
  [/(#vg-tooltip-element \{\n  visibility: hidden;[^}]*?font-family: )sans-serif;/, `$1${process.env.SANS_STACK};`],
];
for (const [re, to] of edits) {
  if (!re.test(css)) { console.error(`vega-tooltip.css: no match for ${re}`); process.exit(1); }
  css = css.replace(re, to);
}
fs.writeFileSync(dest, `/* vega-tooltip ${version}: its default style (src/style.ts), label colour and font changed; BSD-3-Clause, see LICENSE-vega-tooltip */\n` + css);
EOF
then
    die "vega-tooltip's src/style.ts is no longer one template literal; check the CSS extraction"
fi

# vega-interpreter: ES module -> classic script defining the global vegaInterpreter.
# Exactly one import (from vega-util) and one export are expected; anything else fails.
if ! node - "$TMP/vega-interpreter.module.js" "$VENDOR/vega-interpreter/vega-interpreter.js" "$VEGA_INTERPRETER_VERSION" <<'EOF'
const fs = require("fs");
const [src, dest, version] = process.argv.slice(2);
const lines = fs.readFileSync(src, "utf8").split("\n");
const imports = lines.filter((l) => /^import\b/.test(l));
const exports = lines.filter((l) => /^export\b/.test(l));
const imp = imports.length === 1 && imports[0].match(/^import \{([\w\s,]+)\} from 'vega-util';$/);
const exp = exports.length === 1 && exports[0].match(/^export \{ (\w+) as expressionInterpreter \};$/);
if (!imp || !exp) { console.error("unexpected import/export lines:", imports, exports); process.exit(1); }
const body = lines
  .filter((l) => l !== imports[0] && l !== exports[0] && !/^\/\/# sourceMappingURL=/.test(l))
  .join("\n").trim();
const names = imp[1].split(",").map((s) => s.trim()).filter(Boolean);
fs.writeFileSync(dest, [
  `/* vega-interpreter ${version} (BSD-3-Clause, see LICENSE), wrapped as a classic script by`,
  ` * scripts/vendor_frontend.sh: the vega-util helpers come from the global \`vega\` (load`,
  ` * vega.min.js first); defines the global \`vegaInterpreter.expressionInterpreter\`. */`,
  `(function (vega) {`,
  `"use strict";`,
  `const { ${names.join(", ")} } = vega;`,
  ``,
  body,
  ``,
  `globalThis.vegaInterpreter = Object.freeze({ expressionInterpreter: ${exp[1]} });`,
  `})(globalThis.vega);`,
  ``,
].join("\n"));
EOF
then
    die "vega-interpreter's build changed shape; check the classic-script wrapping"
fi

# The UMD wrappers must still look up their dependencies as the globals we provide.
grep -qF '.vegaLite={},e.vega)' "$VENDOR/vega-lite/vega-lite.min.js" \
    || die "vega-lite.min.js no longer defines vegaLite from the global vega"
grep -qF '.vegaEmbed=t(e.vega,e.vegaLite)' "$VENDOR/vega-embed/vega-embed.min.js" \
    || die "vega-embed.min.js no longer takes the globals vega and vegaLite"

# ---- adjust fonts ----------------------------------------------------------
# The theme sets e.g. `--ds-font-family: Inter;` (primary typography) and
# `--ds-font-family: IBM Plex Mono;` (data-typography="secondary") with no
# fallback. Replace the values by system stacks. Perl, not sed -i, so it is
# the same on GNU and BSD systems.
for f in "$VENDOR/designsystemet/theme.css" "$VENDOR/designsystemet/designsystemet.css"; do
    SANS="$SANS_STACK" MONO="$MONO_STACK" perl -0pi -e '
        s#(--ds-font-family\s*:\s*)([^;{}]*?)(\s*[;}])#
            my ($k, $v, $end) = ($1, $2, $3);
            $k . ($v =~ /mono/i ? $ENV{MONO} : $ENV{SANS}) . $end
        #ge;
    ' "$f"
done
grep -q -- '--ds-font-family' "$VENDOR/designsystemet/theme.css" \
    || die "theme.css no longer sets --ds-font-family; check the font handling"

# ---- checks ----------------------------------------------------------------
# CSS: only data: images in url(); no @import / @font-face / external URLs.
if ! node - "$VENDOR"/designsystemet/*.css "$VENDOR"/vega-embed/*.css <<'EOF'
const fs = require("fs");
let bad = 0;
for (const file of process.argv.slice(2)) {
  let css = fs.readFileSync(file, "utf8");
  // drop comments, then every url(...) whose target is a data: image
  css = css.replace(/\/\*[\s\S]*?\*\//g, "");
  const urls = css.match(/url\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)/gi) || [];
  for (const u of urls) {
    const target = u.replace(/^url\(\s*["']?/i, "");
    if (!/^data:image\//i.test(target)) { console.error(`${file}: non-data url: ${u.slice(0, 120)}`); bad++; }
  }
  const rest = css.replace(/url\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)/gi, "url()");
  for (const re of [/@import\b/gi, /@font-face\b/gi, /https?:\/\//gi, /(^|[\s(,:])\/\/[a-z0-9.-]+\.[a-z]{2,}/gi, /sourceMappingURL/gi]) {
    const m = rest.match(re);
    if (m) { console.error(`${file}: found ${m[0].trim()} (${m.length}x)`); bad++; }
  }
}
process.exit(bad ? 1 : 0);
EOF
then
    die "CSS checks failed (see above)"
fi

# Theme/CSS compatibility: every --ds-* variable the component CSS reads must be
# defined by the component CSS itself or by the theme (the two packages are
# versioned separately).
if ! node - "$VENDOR/designsystemet/designsystemet.css" "$VENDOR/designsystemet/theme.css" <<'EOF'
const fs = require("fs");
const [cssFile, themeFile] = process.argv.slice(2);
const css = fs.readFileSync(cssFile, "utf8"), theme = fs.readFileSync(themeFile, "utf8");
const used = new Set([...css.matchAll(/var\(\s*(--ds-[\w-]+)/g)].map(m => m[1]));
const defined = new Set([...(css + theme).matchAll(/(?:^|[;{\s])(--ds-[\w-]+)\s*:/g)].map(m => m[1]));
const missing = [...used].filter(v => !defined.has(v)).sort();
if (missing.length) { console.error("theme.css lacks: " + missing.join(" ")); process.exit(1); }
EOF
then
    die "the theme does not define all variables the Designsystemet CSS uses"
fi

# JS: a sourceMappingURL to a file we do not ship breaks collectstatic.
if grep -l 'sourceMappingURL' "$VENDOR"/htmx/*.js "$VENDOR"/axe-core/*.js "$VENDOR"/vega*/*.js; then
    die "a vendored JS file references a source map; strip it or vendor the .map"
fi

# Vega under our CSP (no 'unsafe-eval'): vega compiles expressions with new Function
# unless it is given an interpreter; charts.js passes vega-embed `ast: true` and
# `expr: vegaInterpreter.expressionInterpreter`. The interpreter must not use
# eval/Function itself, and vega-embed must still honour those options.
if grep -n -E '\beval\(|\bFunction\(' "$VENDOR/vega-interpreter/vega-interpreter.js"; then
    die "vega-interpreter.js uses eval/Function; it would not be CSP-safe"
fi
grep -qF '.expressionInterpreter??' "$VENDOR/vega-embed/vega-embed.min.js" \
    || die "vega-embed.min.js no longer takes an expression interpreter (options ast/expr); check charts.js"

# ---- VERSIONS.md -----------------------------------------------------------
TOKENS_VERSION="$(grep -m1 -o 'design-tokens: *v[0-9][0-9.]*' "$VENDOR/designsystemet/theme.css" | sed 's/.*: *//' || true)"
TOKENS_VERSION="${TOKENS_VERSION:-unknown}"
size() { wc -c < "$1" | tr -d ' '; }
sha() { node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).digest("hex"))' "$1"; }

{
    echo "# Vendored front-end files"
    echo
    echo "Generated by \`bash scripts/vendor_frontend.sh\` — do not edit by hand; change the pins at the"
    echo "top of that script and run it again. All packages come from the npm registry (\`npm pack\`);"
    echo "\"integrity\" is the registry's hash of the package tarball."
    echo
    echo "| package | version | licence | source | files |"
    echo "|---|---|---|---|---|"
    echo "| @digdir/designsystemet-css | $DS_CSS_VERSION | $(license "$D_CSS") | npm | \`designsystemet/designsystemet.css\` (from \`dist/src/index.css\`), \`designsystemet/LICENSE-designsystemet-css\` |"
    echo "| @digdir/designsystemet-theme | $DS_THEME_VERSION | $(license "$D_THEME") | npm | \`designsystemet/theme.css\` (from \`brand/digdir.css\`), \`designsystemet/LICENSE-designsystemet-theme\` |"
    echo "| htmx.org | $HTMX_VERSION | $(license "$D_HTMX") | npm | \`htmx/htmx.min.js\` (from \`dist/htmx.min.js\`), \`htmx/LICENSE\` |"
    echo "| axe-core | $AXE_VERSION | $(license "$D_AXE") | npm | \`axe-core/axe.min.js\`, \`axe-core/LICENSE\`, \`axe-core/LICENSE-3RD-PARTY.txt\` |"
    echo "| vega | $VEGA_VERSION | $(license "$D_VEGA") | npm | \`vega/vega.min.js\` (from \`build/vega.min.js\`), \`vega/LICENSE\` |"
    echo "| vega-lite | $VEGA_LITE_VERSION | $(license "$D_VL") | npm | \`vega-lite/vega-lite.min.js\` (from \`build/vega-lite.min.js\`), \`vega-lite/LICENSE\` |"
    echo "| vega-embed | $VEGA_EMBED_VERSION | $(license "$D_EMBED") | npm | \`vega-embed/vega-embed.min.js\` (from \`build/vega-embed.min.js\`), \`vega-embed/LICENSE\` |"
    echo "| vega-interpreter | $VEGA_INTERPRETER_VERSION | $(license "$D_INTERP") | npm | \`vega-interpreter/vega-interpreter.js\` (from \`build/vega-interpreter.js\`, wrapped), \`vega-interpreter/LICENSE\` |"
    echo "| vega-tooltip | $VEGA_TOOLTIP_VERSION | $(license "$D_TOOLTIP") | npm | \`vega-embed/vega-tooltip.css\` (from \`src/style.ts\`), \`vega-embed/LICENSE-vega-tooltip\` |"
    echo
    echo "## Package integrity"
    echo
    echo "| package | integrity |"
    echo "|---|---|"
    echo "| @digdir/designsystemet-css@$DS_CSS_VERSION | \`$(integrity "$D_CSS")\` |"
    echo "| @digdir/designsystemet-theme@$DS_THEME_VERSION | \`$(integrity "$D_THEME")\` |"
    echo "| htmx.org@$HTMX_VERSION | \`$(integrity "$D_HTMX")\` |"
    echo "| axe-core@$AXE_VERSION | \`$(integrity "$D_AXE")\` |"
    echo "| vega@$VEGA_VERSION | \`$(integrity "$D_VEGA")\` |"
    echo "| vega-lite@$VEGA_LITE_VERSION | \`$(integrity "$D_VL")\` |"
    echo "| vega-embed@$VEGA_EMBED_VERSION | \`$(integrity "$D_EMBED")\` |"
    echo "| vega-interpreter@$VEGA_INTERPRETER_VERSION | \`$(integrity "$D_INTERP")\` |"
    echo "| vega-tooltip@$VEGA_TOOLTIP_VERSION | \`$(integrity "$D_TOOLTIP")\` |"
    echo
    echo "## Changes made to the vendored copies"
    echo
    echo "- \`designsystemet/theme.css\`: every \`--ds-font-family\` value (\`Inter\`; \`IBM Plex Mono\` for"
    echo "  \`data-typography=\"secondary\"\`) is replaced by a system-font stack, because we ship no web"
    echo "  fonts (the packages load none either: no @font-face, no font URL). Sans: \`$SANS_STACK\`."
    echo "  Mono: \`$MONO_STACK\`."
    echo "- Nothing else is changed. The script checks that the CSS has no @import, no @font-face and no"
    echo "  url() other than \`data:image/...\` (allowed by our CSP \`img-src 'self' data:\`)."
    echo "- \`@digdir/designsystemet-theme\` says in its README that it is deprecated in favour of the"
    echo "  theme in \`@digdir/designsystemet-css/theme\` or a theme from the Theme builder; its digdir"
    echo "  brand file (built from design tokens $TOKENS_VERSION) still defines every \`--ds-*\` variable the"
    echo "  $DS_CSS_VERSION CSS uses (the script checks this)."
    echo "- \`vega/vega.min.js\`, \`vega-lite/vega-lite.min.js\`, \`vega-embed/vega-embed.min.js\`: only the trailing"
    echo "  \`//# sourceMappingURL=\` comment is removed (the maps are not shipped). Pages load vega, vega-lite,"
    echo "  vega-interpreter, vega-embed in this order (the UMD builds find each other as globals). vega-embed"
    echo "  $VEGA_EMBED_VERSION bundles vega-tooltip $VEGA_TOOLTIP_VERSION and vega-themes; the script checks that the pins fit the versions"
    echo "  vega-lite and vega-embed declare. The bundles contain code of their npm dependencies (d3 modules, ISC)."
    echo "- \`vega-interpreter/vega-interpreter.js\`: the package ships only an ES module importing \`ascending\`,"
    echo "  \`isString\` and \`DisallowedObjectProperties\` from vega-util. It is wrapped into a classic script that"
    echo "  takes them from the global \`vega\` (which re-exports vega-util) and defines"
    echo "  \`vegaInterpreter.expressionInterpreter\`; the code in between is unchanged. With vega-embed's"
    echo "  \`ast: true\` and this \`expr\`, vega evaluates expressions without \`new Function\` (our CSP has no 'unsafe-eval')."
    echo "- \`vega-embed/vega-tooltip.css\`: vega-tooltip's default style (the template literal in its \`src/style.ts\`), which"
    echo "  vega-embed would otherwise inject as an inline \`<style>\` element (blocked by \`style-src 'self'\`). Two changes:"
    echo "  the labels' grey \`#808080\` (3.9:1 on white, below WCAG AA) is \`#595959\`, and \`font-family: sans-serif\` is the"
    echo "  system-font stack above."
    echo
    echo "## Files"
    echo
    echo "| file | bytes | sha256 |"
    echo "|---|---|---|"
    (cd "$VENDOR" && find designsystemet htmx axe-core "${VEGA_DIRS[@]}" -type f | LC_ALL=C sort) | while read -r f; do
        echo "| \`$f\` | $(size "$VENDOR/$f") | \`$(sha "$VENDOR/$f")\` |"
    done
} > "$VENDOR/VERSIONS.md"

log "done: $(cd "$VENDOR" && find designsystemet htmx axe-core "${VEGA_DIRS[@]}" -type f | wc -l | tr -d ' ') files in ${VENDOR#"$ROOT"/}"
