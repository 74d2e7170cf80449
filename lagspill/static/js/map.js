// Shows the name of the area under the pointer or keyboard focus below each map.
document.querySelectorAll(".area-map").forEach((figure) => {
  const output = figure.querySelector(".area-map__current");
  if (!output) return;
  const show = (event) => {
    const link = event.target.closest("a[aria-label]");
    if (link) output.textContent = link.getAttribute("aria-label");
  };
  figure.addEventListener("focusin", show);
  figure.addEventListener("mouseover", show);
});
