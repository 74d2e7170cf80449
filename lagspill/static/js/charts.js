// Swaps each server-drawn chart (an <img> of the SVG) for vega-embed's interactive drawing of the
// same Vega-Lite spec, which the page carries as JSON (<script type="application/json" id="…">,
// named by the holder's data-vega-spec). Markup: indicators/_chart.html. Without JavaScript, or if
// anything here fails, the image stays.
//
// Content-Security-Policy (script-src 'self'; style-src 'self'): vega compiles its expressions with
// new Function unless given an interpreter, so `ast: true` + vega-interpreter; vega-embed and
// vega-tooltip would add <style> elements, so `defaultStyle: false` and `disableDefaultStyle`
// (vendor/vega-embed/vega-tooltip.css has the tooltip's style). What vega still does to styles
// goes through the CSSOM (element.style.x = …), which CSP allows.
(() => {
  "use strict";

  const embed = window.vegaEmbed;
  const interpreter = window.vegaInterpreter;
  if (typeof embed !== "function" || !interpreter) return;

  const options = {
    mode: "vega-lite",
    renderer: "svg",
    actions: false,
    defaultStyle: false,
    ast: true,
    expr: interpreter.expressionInterpreter,
    tooltip: { disableDefaultStyle: true },
    logLevel: 1, // vega.Error: no warnings in the console
  };

  const draw = async (holder) => {
    if (holder.dataset.vegaState) return;
    holder.dataset.vegaState = "loading";
    const source = document.getElementById(holder.dataset.vegaSpec);
    const image = holder.querySelector("img");
    const target = document.createElement("div");
    target.className = "chart__interactive";
    target.hidden = true;
    try {
      const spec = JSON.parse(source.textContent);
      holder.append(target);
      await embed(target, spec, options);
      if (image) image.remove();
      target.hidden = false;
      holder.dataset.vegaState = "ready";
    } catch (error) {
      target.remove();
      holder.dataset.vegaState = "failed";
      console.warn("Chart left as an image:", error);
    }
  };

  const drawAll = (root) => root.querySelectorAll("[data-vega-spec]").forEach(draw);
  drawAll(document);
  // charts in content that htmx swaps in later
  document.addEventListener("htmx:load", (event) => drawAll(event.target));
})();
