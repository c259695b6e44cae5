"""Where things are in the window, as messages name them (设置 → 用户与责任人 → …).

A hint that tells the command line's user to type a command tells the window's user where to click
instead (`UserError.window_hint`); the places are written here once, in the window's own words.
"""

from __future__ import annotations

SETTINGS = "设置"
EDIT_UNIT = "设置 → 本单位 → 更正代码或名称…"
USERS = "设置 → 用户与责任人"
ADD_USER = "设置 → 用户与责任人 → 添加用户…"
SET_MY_PASSWORD = "设置 → 用户与责任人 → 设置我的密码…"
HAND_OVER = "设置 → 用户与责任人 → 工作交接…"
CREATE_KEY = "设置 → 签名密钥 → 建立签名密钥…"
CHANGE_KEY = "设置 → 签名密钥 → 更换密钥和密码…"
BACK_UP_KEY = "设置 → 签名密钥 → 备份密钥…"
TRUST_CITY = "设置 → 签名密钥 → 导入市平台公钥…"
BACK_UP = "设置 → 数据文件夹与备份 → 立即备份…"
RESTORE = "设置 → 数据文件夹与备份 → 从备份恢复…"
SECTIONS = "设置 → 科室端（内部督办）"
LEDGER = "整改台账"
RECHECKS = "工作台 → 回头看到期"
