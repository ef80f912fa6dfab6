# planguide default theme: UI strings (English)

skip-to-content = Skip to content
nav-home = Home
breadcrumbs-label = Breadcrumbs
language-switcher-label = Choose a language
translation-missing = This page is not available in { $language } yet; this link goes to the { $language } home page
translation-missing-short = not translated
translation-stale = This translation may be out of date: the original has changed since it was translated.
translation-read-source = Read the { $language } original
only-in = ({ $language } only)
footer-example-data = This is an example site: every provider, price, phone number and URL here is fictional example data.
footer-about = About this site

updated-on = Updated { $date }
steps-count = { $n ->
    [one] { $n } step
   *[other] { $n } steps
}

home-countries = Guides by country
home-more = More
home-all-guides = All { $n } guides for { $country }

group-purchase = Where to buy
group-renewal = How to renew
group-page = Other pages
group-section = More regions

kind-purchase = Buying guide
kind-renewal = Renewal walkthrough

channel-online = Online
channel-airport = Airport
channel-local-shop = Local shop
channel-phone = By phone
channel-in-store = In store

section-plans-caption = Plans in { $country } compared
purchase-plans-caption = Plans you can buy this way

plan-name = Plan
plan-price = Price
plan-data = Data
plan-validity = Valid for
plan-renewal = Renew
plan-verified = Facts checked on { $date }

facts-website = Website
facts-phone = Service number
facts-ussd = USSD code
facts-copy = Copy
facts-copied = Copied
facts-payment = Payment
facts-credit-time = Credit arrives
facts-store-kinds = Where
facts-hours = Opening hours
facts-channel = Renewal channel
facts-not-offered = This plan cannot be renewed this way
list-separator = {", "}

not-found-title = Page not found
not-found-body = The link may be broken or the page has moved.
pager-label = Pages of this list
pager-previous = ← Previous
pager-next = Next →
pager-position = Page { $current } of { $total }
offline-title = You are offline
offline-body = This page is not saved on this device. The pages you opened before, and the renewal steps of the countries you looked at, still open without a connection.
offline-saved = Saved on this device
offline-none = No pages are saved on this device yet. When you are back online, open the guides you will need.
back-home = Back to the home page
picker-suggested = Suggested

date-format = { $day } { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
price-format = { $currency } { $amount }
data-gb = { $amount } GB
data-mb = { $amount } MB
data-unlimited = Unlimited data
duration-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
duration-minutes = { $minutes ->
    [one] about { $minutes } minute
   *[other] about { $minutes } minutes
}

payment-card = card
payment-cash = cash
payment-e-wallet = e-wallet
payment-airtime = airtime balance
payment-voucher = voucher
payment-bank-transfer = bank transfer

store-operator-store = provider's store
store-convenience-store = convenience store
store-airport-kiosk = airport kiosk
store-phone-shop = phone shop
store-supermarket = supermarket

# Site search (partials/search.html, js/search.js)
search-label = Search the guides
search-placeholder = Search, e.g. Qatar renew by phone
search-help = Results appear as you type; press the down arrow to move into them and Esc to clear.
search-results-label = Search results
search-results = { $n ->
    [one] { $n } result
   *[other] { $n } results
}
search-no-results = No matching pages
search-more = More results
search-failed = The search index could not be loaded; check your connection and try again.

# planguide new guide: headings of a new guide's skeleton
scaffold-title = TODO: title
scaffold-todo = TODO
scaffold-checklist = Checklist
scaffold-before = Before you renew
scaffold-steps = Steps
scaffold-what-to-bring = What to bring
scaffold-cost = What it costs
scaffold-activate = How to activate
scaffold-pitfalls = Pitfalls
