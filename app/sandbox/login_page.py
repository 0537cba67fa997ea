"""The SSO's Vietnamese pages: the login form, an error page and the signed-out page."""

from __future__ import annotations

from html import escape

from app.sandbox import accounts

WRONG_PASSWORD_VI = "Tên đăng nhập hoặc mật khẩu không đúng."

_STYLE = """
body{font-family:"Segoe UI",Arial,sans-serif;background:#eef3f8;margin:0}
.box{max-width:380px;margin:60px auto;background:#fff;padding:28px 32px;border-radius:8px;
box-shadow:0 2px 10px rgba(0,0,0,.12)}
h1{font-size:18px;color:#0b4d8c;text-align:center;margin:0 0 4px}
.sub{text-align:center;color:#555;font-size:13px;margin-bottom:18px}
label{display:block;font-size:14px;margin:12px 0 4px}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:8px;font-size:15px}
button{margin-top:18px;width:100%;padding:10px;background:#0b4d8c;color:#fff;border:0;font-size:15px}
.error{background:#fde8e8;color:#9b1c1c;padding:8px;border-radius:4px;font-size:14px}
.note{font-size:12px;color:#777;margin-top:16px;text-align:center}
"""


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><div class=\"box\">{body}</div></body></html>\n"
    )


def login_form(action: str, hidden: dict[str, str], *, username: str = "", error: str = "") -> str:
    fields = "".join(
        f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden.items()
    )
    error_html = f'<p class="error" role="alert">{escape(error)}</p>' if error else ""
    body = (
        "<h1>HỆ THỐNG XÁC THỰC TẬP TRUNG</h1>"
        f'<div class="sub">{escape(accounts.ORGANIZATION)}<br>(Chế độ luyện tập)</div>'
        f"{error_html}"
        f'<form method="post" action="{escape(action)}">{fields}'
        '<label for="username">Tên đăng nhập</label>'
        f'<input type="text" id="username" name="username" value="{escape(username)}" autofocus>'
        '<label for="password">Mật khẩu</label>'
        '<input type="password" id="password" name="password">'
        '<button type="submit">Đăng nhập</button></form>'
        '<p class="note">Đăng nhập một lần để dùng iGate và iDesk.</p>'
    )
    return _page("Đăng nhập - SSO tỉnh Bình Định", body)


def error_page(message_vi: str, detail: str = "") -> str:
    body = (
        "<h1>Không thể đăng nhập</h1>"
        f'<p class="error" role="alert">{escape(message_vi)}</p>'
        + (f'<p class="note">{escape(detail)}</p>' if detail else "")
    )
    return _page("Lỗi đăng nhập", body)


def signed_out_page() -> str:
    return _page("Đã đăng xuất", "<h1>Bạn đã đăng xuất</h1><p class=\"sub\">Có thể đóng cửa sổ này.</p>")
