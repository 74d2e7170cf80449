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
# Re-running it with the same pins gives byte-identical output.
set -euo pipefail

# ---- pinned versions -------------------------------------------------------
DS_CSS_VERSION=1.22.0     # @digdir/designsystemet-css  (component CSS)
DS_THEME_VERSION=1.11.0   # @digdir/designsystemet-theme (the "digdir" brand theme)
HTMX_VERSION=2.0.11       # htmx.org, stay on 2.0.x (4.x is a different API)
AXE_VERSION=4.14.1        # axe-core, browser accessibility tests only
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

# ---- extract ---------------------------------------------------------------
rm -rf "$VENDOR/designsystemet" "$VENDOR/htmx" "$VENDOR/axe-core"
mkdir -p "$VENDOR/designsystemet" "$VENDOR/htmx" "$VENDOR/axe-core"

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
if ! node - "$VENDOR"/designsystemet/*.css <<'EOF'
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
if grep -l 'sourceMappingURL' "$VENDOR"/htmx/*.js "$VENDOR"/axe-core/*.js; then
    die "a vendored JS file references a source map; strip it or vendor the .map"
fi

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
    echo
    echo "## Package integrity"
    echo
    echo "| package | integrity |"
    echo "|---|---|"
    echo "| @digdir/designsystemet-css@$DS_CSS_VERSION | \`$(integrity "$D_CSS")\` |"
    echo "| @digdir/designsystemet-theme@$DS_THEME_VERSION | \`$(integrity "$D_THEME")\` |"
    echo "| htmx.org@$HTMX_VERSION | \`$(integrity "$D_HTMX")\` |"
    echo "| axe-core@$AXE_VERSION | \`$(integrity "$D_AXE")\` |"
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
    echo
    echo "## Files"
    echo
    echo "| file | bytes | sha256 |"
    echo "|---|---|---|"
    (cd "$VENDOR" && find designsystemet htmx axe-core -type f | LC_ALL=C sort) | while read -r f; do
        echo "| \`$f\` | $(size "$VENDOR/$f") | \`$(sha "$VENDOR/$f")\` |"
    done
} > "$VENDOR/VERSIONS.md"

log "done: $(cd "$VENDOR" && find designsystemet htmx axe-core -type f | wc -l | tr -d ' ') files in ${VENDOR#"$ROOT"/}"
