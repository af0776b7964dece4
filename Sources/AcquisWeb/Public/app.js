// Keyboard entry in the class grid: arrows move between cells, a digit becomes the level of
// that rank, Enter submits. Without JavaScript the grid is a plain form and still works.
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector("table.grid");
  if (!grid) return;
  const levels = Array.from(document.querySelectorAll("#aide-saisie kbd"))
    .map((k) => k.textContent).filter((t) => !/^\d+$/.test(t) && t !== "Entrée");
  const rows = Array.from(grid.tBodies[0].rows).map((row) => Array.from(row.querySelectorAll("input.cell")));
  rows.forEach((cells, r) => cells.forEach((input, c) => {
    input.addEventListener("keydown", (event) => {
      const move = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
      if (move) {
        const target = rows[r + move[0]] && rows[r + move[0]][c + move[1]];
        if (target) { event.preventDefault(); target.focus(); target.select(); }
      } else if (event.key === "Enter") {
        event.preventDefault();
        input.form.requestSubmit();
      }
    });
    input.addEventListener("input", () => {
      const digit = parseInt(input.value, 10);
      if (String(digit) === input.value && levels[digit - 1]) input.value = levels[digit - 1];
      if (input.value) {
        const next = rows[r + 1] && rows[r + 1][c];
        if (next && levels.includes(input.value.toUpperCase())) next.focus();
      }
    });
  }));
});
