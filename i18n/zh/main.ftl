# planguide default theme: UI strings (简体中文)

skip-to-content = 跳到正文
nav-home = 首页
breadcrumbs-label = 当前位置
language-switcher-label = 选择语言
translation-missing = 本页暂无 { $language } 版本，将前往 { $language } 首页
translation-missing-short = 暂无译文
translation-stale = 此译文可能已过时：原文在翻译之后有更新。
translation-read-source = 阅读{ $language }原文
only-in = （仅{ $language }）
footer-example-data = 本站为示例站点：所有运营商、价格、电话号码和网址均为虚构的示例数据。
footer-about = 关于本站

updated-on = 更新于 { $date }
steps-count = 共 { $n } 步

home-countries = 按国家查看
home-more = 更多
home-all-guides = { $country }的全部 { $n } 篇指南

group-purchase = 在哪里购买
group-renewal = 如何续费
group-page = 其他页面
group-section = 更多地区

kind-purchase = 购买指南
kind-renewal = 续费步骤

channel-online = 线上
channel-airport = 机场
channel-local-shop = 本地门店
channel-phone = 电话
channel-in-store = 门店

section-plans-caption = { $country }的套餐对比
purchase-plans-caption = 可通过此渠道购买的套餐

plan-name = 套餐
plan-price = 价格
plan-data = 流量
plan-validity = 有效期
plan-renewal = 续费方式
plan-verified = 信息核实于 { $date }

facts-website = 网址
facts-phone = 客服电话
facts-ussd = USSD 代码
facts-copy = 复制
facts-copied = 已复制
facts-payment = 支付方式
facts-credit-time = 到账时间
facts-store-kinds = 门店类型
facts-hours = 营业时间
facts-channel = 续费渠道
facts-not-offered = 此套餐不支持该续费方式
list-separator = 、

not-found-title = 找不到这个页面
not-found-body = 链接可能已失效，或页面已移动。
pager-label = 列表分页
pager-previous = ← 上一页
pager-next = 下一页 →
pager-position = 第 { $current } 页，共 { $total } 页
offline-title = 你目前处于离线状态
offline-body = 此页面尚未保存到本设备。你之前打开过的页面，以及所查看国家的续费步骤，无需联网仍可打开。
offline-saved = 已保存在本设备上
offline-none = 本设备尚未保存任何页面。恢复联网后，请先打开你需要的指南。
back-home = 返回首页
picker-suggested = 推荐

date-format = { $year }年{ $month }月{ $day }日
price-format = { $amount } { $currency }
data-gb = { $amount } GB
data-mb = { $amount } MB
data-unlimited = 不限流量
duration-days = { $days } 天
duration-minutes = 约 { $minutes } 分钟

payment-card = 银行卡
payment-cash = 现金
payment-e-wallet = 电子钱包
payment-airtime = 话费余额
payment-voucher = 充值券
payment-bank-transfer = 银行转账

store-operator-store = 运营商营业厅
store-convenience-store = 便利店
store-airport-kiosk = 机场柜台
store-phone-shop = 手机店
store-supermarket = 超市

# Site search (partials/search.html, js/search.js)
search-label = 搜索指南
search-placeholder = 搜索，例如：卡塔尔 续费
search-help = 输入时即显示结果；按下方向键进入结果列表，按 Esc 清除。
search-results-label = 搜索结果
search-results = 找到 { $n } 个结果
search-no-results = 没有找到相关页面
search-more = 更多结果
search-failed = 搜索索引加载失败，请检查网络后重试。

# planguide new guide: headings of a new guide's skeleton
scaffold-title = 待填：标题
scaffold-todo = 待填
scaffold-checklist = 清单
scaffold-before = 续费前须知
scaffold-steps = 步骤
scaffold-what-to-bring = 需要携带
scaffold-cost = 费用
scaffold-activate = 如何激活
scaffold-pitfalls = 注意事项
