// Charts of the progress page. Data comes from data-* attributes (the CSP forbids inline
// script); tooltips render on the canvas because HTML tooltips need inline styles.
(function () {
  "use strict";
  var font = '"PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Noto Sans CJK SC",sans-serif';

  function num(v) { return v === null ? null : parseFloat(v); }

  function progressChart(el) {
    var d = JSON.parse(el.getAttribute("data-progress"));
    var tp = parseFloat(d.time_progress);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText" },
      title: { text: "虚线：时序进度 " + d.time_progress + "%", right: 8, top: 0,
        textStyle: { fontSize: 12, fontWeight: "normal", color: "#1f4e8c" } },
      grid: { left: 48, right: 24, top: 28, bottom: 64 },
      xAxis: { type: "category", data: d.units, axisLabel: { interval: 0, rotate: d.units.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: "完成率%" },
      series: [{
        name: "基础目标完成率", type: "bar", data: d.completion.map(num),
        itemStyle: { color: function (p) { return p.value >= tp ? "#2e7d4f" : (p.value >= tp - 10 ? "#c98a00" : "#c0392b"); } },
        label: { show: true, position: "top", formatter: "{c}" },
        // The line's own label would sit on the bars' value labels: the title names it.
        markLine: { symbol: "none", data: [{ yAxis: tp, name: "时序进度" }],
          label: { show: false }, lineStyle: { color: "#1f4e8c", type: "dashed" } }
      }]
    });
    return chart;
  }

  function trendChart(el) {
    var d = JSON.parse(el.getAttribute("data-trend"));
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      textStyle: { fontFamily: font },
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { type: "scroll", bottom: 0 },
      grid: { left: 56, right: 24, top: 24, bottom: 48 },
      xAxis: { type: "category", data: d.months },
      yAxis: { type: "value" },
      series: d.series.map(function (s) { return { name: s.name, type: "line", data: s.values.map(num), connectNulls: false }; })
    });
    return chart;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var charts = [];
    document.querySelectorAll("[data-progress]").forEach(function (el) { charts.push(progressChart(el)); });
    document.querySelectorAll("[data-trend]").forEach(function (el) { charts.push(trendChart(el)); });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  });
})();
