// "全选本页": tick or untick every document row of the list (the page works without it).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-all]");
  if (!all) return;
  for (const box of all.closest("table").querySelectorAll("tbody input[name=doc]")) box.checked = all.checked;
});
