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
