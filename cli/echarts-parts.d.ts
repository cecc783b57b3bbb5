// ECharts' per-feature entry points register themselves when imported and export nothing we use.
declare module 'echarts/lib/chart/line';
declare module 'echarts/lib/component/gridSimple';
declare module 'echarts/lib/component/title';
declare module 'echarts/lib/component/legendPlain';
declare module 'echarts/lib/chart/scatter';
