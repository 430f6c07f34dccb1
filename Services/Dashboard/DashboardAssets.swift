/// The dashboard's own stylesheet and script, served from `/assets/` (no external files, so it works offline and
/// under a strict Content-Security-Policy).
enum DashboardAssets {
    /// `/assets/dashboard.css`: dark text on white (contrast above 7:1), chart colours at least 3:1 against white,
    /// a visible focus ring for keyboard users.
    static let stylesheet = """
        :root { color-scheme: light; }
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
          background: #ffffff; margin: 0; line-height: 1.5; }
        header.site { display: flex; justify-content: space-between; align-items: center; padding: 0.75rem 1.5rem;
          background: #0b3d66; }
        header.site a { color: #ffffff; font-weight: 600; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
        main:focus { outline: none; }
        a { color: #0b3d66; }
        a:focus-visible, summary:focus-visible { outline: 3px solid #b35c00; outline-offset: 2px; }
        .skip { position: absolute; left: -999px; top: 0; background: #ffffff; color: #0b3d66; padding: 0.5rem; }
        .skip:focus { left: 0.5rem; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
        ol.breadcrumbs { list-style: none; display: flex; gap: 0.5rem; padding: 0; margin: 0.5rem 0; }
        ol.breadcrumbs li + li::before { content: "›"; margin-right: 0.5rem; color: #555555; }
        h1 { margin: 0.25rem 0 0.5rem; }
        h2 { margin-top: 2rem; border-bottom: 1px solid #cccccc; }
        table { border-collapse: collapse; margin: 0.5rem 0; }
        th, td { padding: 0.3rem 0.75rem; border-bottom: 1px solid #dddddd; text-align: left; }
        td { text-align: right; font-variant-numeric: tabular-nums; }
        thead th { border-bottom: 2px solid #1a1a1a; }
        abbr.suppressed, .suppressed { font-style: italic; color: #5c5c5c; text-decoration: underline dotted; }
        .note { color: #5c5c5c; font-size: 0.9rem; }
        details { margin: 0.5rem 0; }
        summary { cursor: pointer; color: #0b3d66; }
        .chart svg { max-width: 40rem; height: auto; display: block; }
        svg text { font-size: 14px; fill: #1a1a1a; }
        svg text.small { font-size: 12px; }
        svg text.suppressed { fill: #5c5c5c; font-style: italic; text-decoration: none; }
        svg .c1 { fill: #0b3d66; } svg .c2 { fill: #2e7d32; } svg .c3 { fill: #b35c00; }
        svg .c4 { fill: #6a1b9a; } svg .c5 { fill: #455a64; }
        svg .empty { fill: #eeeeee; }
        svg .axis { stroke: #1a1a1a; stroke-width: 1; }
        svg .trend { fill: none; stroke: #0b3d66; stroke-width: 3; }
        svg .point { fill: #0b3d66; }
        footer { margin-top: 2rem; font-size: 0.9rem; color: #3d3d3d; }
        """

    /// `/assets/live.js`: follows `/events` (server-sent events) and swaps the page's `<main>` for a fresh copy
    /// when the statistics change, keeping open tables open and telling screen readers. Without it, the page is
    /// complete and a reload shows the latest figures.
    static let script = """
        "use strict";
        (() => {
          if (!("EventSource" in window)) return;
          const source = new EventSource("/events");
          let busy = false, again = false;
          async function refresh() {
            if (busy) { again = true; return; }
            busy = true;
            try {
              const response = await fetch(window.location.href, { cache: "no-store", headers: { Accept: "text/html" } });
              if (!response.ok) return;
              const next = new DOMParser().parseFromString(await response.text(), "text/html").querySelector("main");
              const main = document.querySelector("main");
              if (!next || !main || next.innerHTML === main.innerHTML) return;
              const open = Array.from(main.querySelectorAll("details[open]"), (details) => details.id);
              main.replaceWith(next);
              for (const id of open) { const details = document.getElementById(id); if (details) details.open = true; }
              const status = document.getElementById("live-status");
              if (status) status.textContent = document.body.dataset.updated || "";
              document.body.dataset.version = String(Number(document.body.dataset.version || "0") + 1);
            } catch (error) {
              // The next change tries again.
            } finally {
              busy = false;
              if (again) { again = false; refresh(); }
            }
          }
          source.addEventListener("update", refresh);
        })();
        """
}
