package io.marketgate.local;


import java.util.Map;

/**
 * {@code report.html}: one self-contained file, nothing fetched from the network. The report's JSON is embedded
 * and an inline script draws, per market, the calls per second at the market and the limiter's grants per second
 * per priority as SVG lines against each budget's rate, and lists the per-priority figures.
 */
final class ReportHtml {
    private ReportHtml() {}

    @SuppressWarnings("unchecked")
    static String render(Map<String, Object> tree, String json) {
        String safeJson = json.replace("</", "<\\/");
        return """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>marketgate simulate: @TITLE@</title>
                <style>
                body{font:14px system-ui,sans-serif;margin:24px;color:#222}
                table{border-collapse:collapse;margin:8px 0 24px}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
                th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}
                .legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:4px}
                svg{border:1px solid #ddd;background:#fff}
                </style></head><body>
                <h1>Scenario <code>@TITLE@</code></h1>
                <div id="summary"></div>
                <div id="charts"></div>
                <script id="report" type="application/json">@JSON@</script>
                <script>
                const r = JSON.parse(document.getElementById('report').textContent);
                const esc = s => String(s).replace(/[&<>]/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;'}[c]));
                let h = `<p>Duration <b>${r.durationSeconds} s</b> against a minimum of <b>${r.minimumSeconds} s</b>
                  (calls ÷ allowed rate of the binding budgets); wall time ${r.wallSeconds} s; limiter store ${esc(r.limiterStore)};
                  dead letters ${r.deadLetters}; time scale ${r.timeScale}.</p>`;
                if (r.actionEvents) {
                  h += `<p>Action events on ${esc(r.actionEvents.bus)}: ${r.actionEvents.done} done, ${r.actionEvents.failed} failed
                    (${r.actionEvents.failedEntries} entries failed by the bus and published again).</p>`;
                }
                h += '<h2>Priorities</h2><table><tr><th>priority</th><th>requests</th><th>succeeded</th><th>failed</th><th>lost</th><th>duplicates</th><th>grants</th><th>wait p50 ms</th><th>wait p99 ms</th><th>wait max ms</th><th>wait timeouts</th></tr>';
                for (const [p, v] of Object.entries(r.priorities)) {
                  h += `<tr><td>${p}</td><td>${v.requests}</td><td>${v.succeeded}</td><td>${v.failed}</td><td>${v.lost}</td><td>${v.duplicates}</td><td>${v.grants}</td><td>${v.waitP50Ms}</td><td>${v.waitP99Ms}</td><td>${v.waitMaxMs}</td><td>${v.waitTimeouts}</td></tr>`;
                }
                h += '</table><h2>Budgets</h2><table><tr><th>market / budget</th><th>rules</th><th>limit</th><th>window s</th><th>calls</th><th>over budget</th><th>peak</th></tr>';
                for (const [m, v] of Object.entries(r.markets)) {
                  for (const kind of ['marketBudgets', 'configuredBudgets']) {
                    for (const [b, x] of Object.entries(v[kind] || {})) {
                      h += `<tr><td>${esc(m)} / ${esc(b)}</td><td>${kind === 'marketBudgets' ? 'market' : 'configured'}</td><td>${x.limit}</td><td>${x.windowSeconds}</td><td>${x.calls}</td><td style="color:${x.callsOverBudget ? '#c00' : 'inherit'}">${x.callsOverBudget}</td><td>${x.peak}</td></tr>`;
                    }
                  }
                  if (!v.marketBudgets) h += `<tr><td>${esc(m)}</td><td colspan="6">not simulated (${esc(v.baseUrl)}): ${v.calls} calls granted, no arrival records</td></tr>`;
                }
                document.getElementById('summary').innerHTML = h + '</table>';
                const colors = {arrivals:'#222', HIGH:'#d62728', MEDIUM:'#1f77b4', LOW:'#2ca02c'};
                const dash = ['6,3', '2,3', '10,4', '1,2'];
                const NS = 'http://www.w3.org/2000/svg';
                let charts = '';
                for (const [m, s] of Object.entries(r.series)) {
                  const W = 900, H = 260, L = 40, B = 24, T = 10, n = Math.max(2, s.seconds);
                  const lines = [['arrivals', s.arrivals]].concat(Object.entries(s.grants));
                  const maxY = Math.max(1, ...lines.flatMap(([, v]) => v), ...s.limits.map(l => l.ratePerSecond)) * 1.1;
                  const x = i => L + (W - L - 10) * i / (n - 1), y = v => H - B - (H - B - T) * v / maxY;
                  let svg = `<svg xmlns="${NS}" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`;
                  for (let g = 0; g <= 4; g++) { const v = maxY * g / 4;
                    svg += `<line x1="${L}" x2="${W-10}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L-4}" y="${y(v)+4}" font-size="10" text-anchor="end">${v.toFixed(1)}</text>`; }
                  for (let t = 0; t < n; t += Math.max(1, Math.ceil(n / 12))) svg += `<text x="${x(t)}" y="${H-6}" font-size="10" text-anchor="middle">${t}s</text>`;
                  s.limits.forEach((l, i) => { svg += `<line x1="${L}" x2="${W-10}" y1="${y(l.ratePerSecond)}" y2="${y(l.ratePerSecond)}" stroke="#999" stroke-dasharray="${dash[i % dash.length]}"><title>${esc(l.name)}: ${l.ratePerSecond}/s</title></line>`; });
                  for (const [k, v] of lines) {
                    if (!v.some(c => c > 0)) continue;
                    svg += `<polyline fill="none" stroke="${colors[k]}" stroke-width="${k === 'arrivals' ? 2 : 1.5}" points="${v.map((c, i) => x(i) + ',' + y(c)).join(' ')}"><title>${k}</title></polyline>`;
                  }
                  svg += '</svg>';
                  const legend = Object.entries(colors).map(([k, c]) => `<span><i class="sw" style="background:${c}"></i>${k === 'arrivals' ? 'calls at the market' : k + ' grants'}</span>`).join('')
                    + s.limits.map((l, i) => `<span><svg width="24" height="6"><line x1="0" x2="24" y1="3" y2="3" stroke="#999" stroke-dasharray="${dash[i % dash.length]}"/></svg> ${esc(l.name)} (${l.ratePerSecond}/s)</span>`).join('');
                  charts += `<h2>${esc(m)}: calls per second</h2><div class="legend">${legend}</div>${svg}`;
                }
                document.getElementById('charts').innerHTML = charts;
                </script>
                </body></html>
                """.replace("@TITLE@", esc(String.valueOf(tree.get("scenario")))).replace("@JSON@", safeJson);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

}
