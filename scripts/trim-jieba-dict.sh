#!/usr/bin/env bash
# Regenerates src/search/data/dict-zh.txt.gz: the words of jieba's dictionary (MIT, from the
# jieba-rs crate's src/data/dict.txt) used at least MIN_FREQ times. The full dictionary costs
# ~75 MB of memory per build; this subset keeps segmentation of guide text the same where it
# matters for search (jieba's HMM still handles words outside it) at a fraction of that.
set -euo pipefail
cd "$(dirname "$0")/.."
MIN_FREQ="${MIN_FREQ:-30}"
dict="$(ls ~/.cargo/registry/src/*/jieba-rs-0.11.*/src/data/dict.txt | head -1)"
# Plus every word, however rare, of the travel-SIM vocabulary travellers search for.
domain='续费|充值|话费|流量|套餐|余额|激活|实名|漫游|资费|运营商|营业厅|便利店|机场|电话卡|手机卡|数据卡|上网卡|有效期|到账|付款|支付|银行卡|电子钱包|二维码|护照|签证|旅客|游客|短信|验证码|网卡|热点|信号|续期|续订|开通|办理|购买|购卡|退款|充值卡|充值券'
{ awk -v t="$MIN_FREQ" '$2 >= t' "$dict"; grep -E "^[^ ]*($domain)[^ ]* " "$dict"; } | sort -u | gzip -9n > src/search/data/dict-zh.txt.gz
echo "wrote src/search/data/dict-zh.txt.gz ($(zcat src/search/data/dict-zh.txt.gz | wc -l) words, freq >= $MIN_FREQ)"
