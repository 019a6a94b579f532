// The few behaviours the server-rendered pages need; no framework, no inline script (the CSP forbids it).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("button.copy[data-copy]")) {
    button.addEventListener("click", async () => {
      const text = button.dataset.copy;
      try {
        await navigator.clipboard.writeText(text);
        button.textContent = "Copied";
      } catch (e) {
        // clipboard refused (no secure context): select the text so the user can copy it
        const code = document.getElementById("imagine");
        const range = document.createRange();
        range.selectNodeContents(code);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        button.textContent = "Selected — press Ctrl+C";
      }
    });
  }
  const countdowns = document.querySelectorAll("time.countdown[datetime]");
  if (countdowns.length > 0) {
    // the server renders the time left; this keeps it ticking without reloading
    const tick = () => {
      for (const t of countdowns) {
        const s = Math.max(0, Math.round((Date.parse(t.getAttribute("datetime")) - Date.now()) / 1000));
        t.textContent = s < 60 ? s + " s" : s < 3600 ? Math.floor(s / 60) + " min " + (s % 60) + " s"
          : Math.floor(s / 3600) + " h " + Math.floor(s % 3600 / 60) + " min";
      }
    };
    setInterval(tick, 1000);
  }
  const queue = document.querySelector("[data-stream]");
  if (queue && window.EventSource) {
    // one server-sent event stream per page; the server pushes the re-rendered queue when a job event happens
    const live = document.getElementById("live");
    const source = new EventSource(queue.dataset.stream);
    source.addEventListener("queue", (event) => {
      queue.innerHTML = event.data;
      queue.dataset.updates = String(Number(queue.dataset.updates || "0") + 1);
      live.textContent = "Updated " + new Date().toLocaleTimeString();
    });
    source.onerror = () => { live.textContent = "Reconnecting…"; };
  }
});
