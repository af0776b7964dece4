// Keyboard entry in the class grid: arrows move between cells, a digit becomes the level of
// that rank, Enter submits. Without JavaScript the grid is a plain form and still works.
document.addEventListener("DOMContentLoaded", () => {
  const grid = document.querySelector("table.grid");
  if (!grid) return;
  const form = grid.closest("form");
  const levels = Array.from(document.querySelectorAll("#aide-saisie kbd"))
    .map((k) => k.textContent).filter((t) => !/^\d+$/.test(t) && t !== "Entrée");
  const rows = Array.from(grid.tBodies[0].rows).map((row) => Array.from(row.querySelectorAll("input.cell")));
  const draft = draftStore(form);
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
      draft.keep(input);
      if (input.value) {
        const next = rows[r + 1] && rows[r + 1][c];
        if (next && levels.includes(input.value.toUpperCase())) next.focus();
      }
    });
    input.addEventListener("focus", () => explain(input));
  }));
  draft.restore(rows.flat());
});

// The entry mode: choices kept in the browser like the grid's cells; a swipe to the left
// saves and goes on to the next student, a swipe to the right goes back.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.entry");
  if (!form) return;
  const draft = draftStore(form);
  const radios = Array.from(form.querySelectorAll("input[type=radio]"));
  radios.forEach((radio) => radio.addEventListener("change", () => draft.keep(radio)));
  draft.restore(radios);
  let start = null;
  form.addEventListener("touchstart", (event) => { start = event.touches[0]; }, { passive: true });
  form.addEventListener("touchend", (event) => {
    if (!start) return;
    const end = event.changedTouches[0], dx = end.clientX - start.clientX, dy = end.clientY - start.clientY;
    start = null;
    if (Math.abs(dx) < 80 || Math.abs(dy) > 40) return;
    if (dx < 0) form.requestSubmit();
    else { const previous = document.querySelector("a[rel=prev]"); if (previous) location.href = previous.href; }
  }, { passive: true });
});

// Typed levels are kept in the browser until the server says they are saved: a lost
// connection or an expired session loses nothing. The page that confirms a save clears them.
function draftStore(form) {
  const key = "acquis-grille:" + form.action + ":" + (form.elements.referentiel ? form.elements.referentiel.value : "");
  const read = () => { try { return JSON.parse(localStorage.getItem(key)) || {}; } catch (e) { return {}; } };
  const write = (values) => {
    try {
      if (Object.keys(values).length) localStorage.setItem(key, JSON.stringify(values)); else localStorage.removeItem(key);
    } catch (e) { /* private browsing: the form still works, without the safety net */ }
  };
  if (form.dataset.enregistre !== undefined) write({});
  return {
    keep(input) {
      if (input.type === "radio" && !input.checked) return;
      const values = read();
      if (input.value) values[input.name] = input.value; else delete values[input.name];
      write(values);
    },
    restore(inputs) {
      const values = read();
      let restored = 0;
      inputs.forEach((input) => {
        const kept = values[input.name];
        if (!kept) return;
        if (input.type === "radio") {
          const chosen = input.form.querySelector(`input[name="${CSS.escape(input.name)}"]:checked`);
          if (input.value === kept && (!chosen || chosen.value === "")) { input.checked = true; restored += 1; }
        } else if (!input.value) { input.value = kept; restored += 1; }
      });
      const note = document.getElementById("brouillon");
      if (restored && note) {
        note.textContent = restored === 1
          ? "1 niveau saisi n’a pas encore été enregistré : il est rétabli dans la grille, enregistrez-le."
          : restored + " niveaux saisis n’ont pas encore été enregistrés : ils sont rétablis dans la grille, enregistrez-les.";
        note.hidden = false;
      }
    },
  };
}

// The explanation of a cell's current level, read from its page when the cell gets focus
// (by keyboard or touch) and shown under the grid.
const explanations = new Map();
let explaining = null;
function explain(input) {
  const region = document.getElementById("explication");
  const link = input.parentElement.querySelector("a.level");
  if (!region) return;
  clearTimeout(explaining);
  if (!link) { region.textContent = ""; return; }
  explaining = setTimeout(async () => {
    const url = link.getAttribute("href");
    if (!explanations.has(url)) {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const part = page.getElementById("explication-competence");
      explanations.set(url, part ? part.innerHTML : "");
    }
    region.innerHTML = explanations.get(url);
  }, 300);
}
