// The one stylesheet, served at STYLESHEET_PATH: plain CSS, readable on a phone (single column below 720px,
// wide tables scroll sideways inside their box instead of stretching the page).
export const STYLESHEET_PATH = '/static/app.css';

export const STYLESHEET = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font-family:"Noto Sans","Segoe UI",Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1f2328;background:#f4f5f7}
a{color:#0b5cad}
header.top{background:#b42318;color:#fff;padding:10px 16px;display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
header.top a{color:#fff}
header.top .brand{font-weight:bold;font-size:18px;text-decoration:none}
header.top nav{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:center;font-size:14px}
header.top form{display:inline;margin:0}
header.top button{background:transparent;border:1px solid #fff;color:#fff;padding:2px 10px;border-radius:4px;font-size:14px;cursor:pointer}
.lang a[aria-current="true"]{font-weight:bold;text-decoration:none}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:24px;margin:8px 0 12px}
h2{font-size:20px;margin:24px 0 8px}
h3{font-size:17px;margin:16px 0 6px}
.card{background:#fff;border:1px solid #d8dde3;border-radius:6px;padding:16px;margin:0 0 16px}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
#unit-rows tbody th{min-width:14em}
.muted{color:#57606a;font-size:14px}
.notice{padding:10px 14px;border-radius:6px;margin:0 0 16px;border:1px solid}
.notice.ok{background:#e9f7ef;border-color:#2e7d32}
.notice.warn{background:#fff8e1;border-color:#b7791f}
.notice.error{background:#fdf3f2;border-color:#b42318}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:13px;white-space:nowrap;border:1px solid #c9d1d9;background:#eef2f6}
.badge.ok{background:#e9f7ef;border-color:#2e7d32;color:#1b5e20}
.badge.warn{background:#fff8e1;border-color:#b7791f;color:#7a4a00}
.badge.bad{background:#fdf3f2;border-color:#b42318;color:#8a1a12}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:8px 0 16px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid #d0d7de;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
label{display:block;font-weight:600;margin:12px 0 4px}
label.inline{display:inline-flex;gap:6px;align-items:center;font-weight:normal;margin:8px 16px 0 0}
input[type=text],input[type=email],input[type=number],input[type=date],select,textarea{width:100%;max-width:100%;font:inherit;padding:8px;border:1px solid #8c959f;border-radius:4px;background:#fff}
input[type=number]{max-width:220px}
input[type=date]{max-width:220px}
textarea{min-height:8em;resize:vertical}
.field-error{color:#b42318;font-size:14px;margin:4px 0 0}
.has-error input,.has-error textarea,.has-error select{border-color:#b42318;background:#fffafa}
.hint{color:#57606a;font-size:14px;margin:2px 0 4px}
.actions{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0 0}
button,.button{font:inherit;padding:9px 18px;border-radius:4px;border:1px solid #8c959f;background:#fff;color:#1f2328;cursor:pointer;text-decoration:none;display:inline-block}
button.primary,.button.primary{background:#b42318;border-color:#b42318;color:#fff;font-weight:bold}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:8px 16px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px}
.facts dt{font-weight:600}
.facts dd{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:flex-end}
.filters label{margin:0}
.filters select{width:auto}
blockquote{margin:8px 0;padding:8px 12px;border-left:4px solid #b42318;background:#fdf3f2;white-space:pre-wrap}
.prose{white-space:pre-wrap}
.review-scroll{max-height:28em;overflow:auto;border:1px solid #d0d7de;border-radius:4px;padding:4px 12px;margin:8px 0}
.submission-files h4{margin:8px 0 4px}
.bulk-form fieldset{border:1px solid #d0d7de;border-radius:4px;margin:8px 0;padding:4px 12px}
progress{vertical-align:middle}
.breadcrumb{font-size:14px;margin:0 0 8px}
footer{max-width:1100px;margin:0 auto;padding:8px 16px 24px;color:#57606a;font-size:13px}
@media (max-width:720px){
  table.commendations thead{display:none}
  table.commendations,table.commendations tbody,table.commendations tr,table.commendations td{display:block;width:100%}
  table.commendations tr{border:1px solid #d0d7de;border-radius:4px;margin:0 0 10px;padding:4px 0}
  table.commendations td{border:0;padding:4px 8px}
  table.commendations td::before{content:attr(data-label);display:block;font-weight:600;font-size:14px}
  main{padding:10px}
  h1{font-size:21px}
  .card{padding:12px}
  .facts{grid-template-columns:1fr}
  .facts dd{margin-bottom:6px}
}
@media print{
  header,nav,form,.no-print,.lang{display:none!important}
  body{background:#fff;color:#000}
  a{color:inherit;text-decoration:none}
  .card,.printable{box-shadow:none;border:0;padding:0}
  table{font-size:10pt}
  thead{display:table-header-group}
  tr{break-inside:avoid}
}
figure.chart{margin:8px 0;max-width:100%;overflow-x:auto}
figure.chart svg{max-width:100%;height:auto;display:block;background:#fff}
figure.chart a text{fill:#0b5cad}
.chart-pair{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:12px;align-items:start;margin:12px 0}
.chart-pair.bars{grid-template-columns:minmax(0,1fr)}
table.chart-numbers{font-size:14px}
.timeline-list{font-size:14px;margin:0;padding-left:20px}
@media (max-width:720px){.chart-pair{grid-template-columns:minmax(0,1fr)}}
@media print{header.top nav,.filters,form{display:none}figure.chart,.chart-pair{break-inside:avoid}body{background:#fff}a{color:inherit;text-decoration:none}}
`;
