"""Scanning a voucher's QR with the camera: chromium's fake camera plays a video of the code.

The frames hold the QR the vouchers feature prints (segno, same settings as the sheet), so the
path is the real one: getUserMedia, a canvas, the vendored jsQR, the list lookup, one tap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import segno

from adapters.settings import Settings
from domain.distribution.vouchers import format_code
from tests.conftest import LiveServer
from tests.e2e.field_phone import (
    PHONE,
    SLUG,
    Wire,
    ledger,
    listed_campaign,
    open_app,
    sign_in_link,
    waiting,
)
from tests.e2e.test_browser_dashboard import ARGS, CHROMIUM, browser  # noqa: F401 - fixture

pytestmark = pytest.mark.browser
WIDTH, HEIGHT, SCALE = 320, 240, 6


def qr_video(code: str, path: Path) -> Path:
    """A few grey frames (Y4M, 4:2:0) with the voucher's QR code in the middle."""
    rows = list(segno.make(code, error="m", micro=False).matrix_iter(scale=SCALE, border=4))
    top, left = (HEIGHT - len(rows)) // 2, (WIDTH - len(rows[0])) // 2
    luma = bytearray(b"\xff" * (WIDTH * HEIGHT))
    for y, row in enumerate(rows):
        line = bytes(0 if dark else 255 for dark in row)
        start = (top + y) * WIDTH + left
        luma[start : start + len(line)] = line
    chroma = b"\x80" * (WIDTH * HEIGHT // 2)
    frame = b"FRAME\n" + bytes(luma) + chroma
    path.write_bytes(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1\n".encode() + frame * 5)
    return path


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # the camera, not the store
def test_scanning_a_voucher_finds_the_household_and_one_tap_serves_it(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
    store_settings: Settings,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    admin, vouchers = listed_campaign(live_server, 2)
    video = qr_video(vouchers[1], tmp_path / "voucher.y4m")
    camera = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"]  # fmt: skip
    with_camera = browser.browser_type.launch(executable_path=str(CHROMIUM), args=ARGS + camera)
    phone: Any = with_camera.new_context(viewport=PHONE, permissions=["camera"])
    wire = Wire(phone, "/deliveries")
    page = phone.new_page()
    open_app(page, sign_in_link(live_server, "en"))
    page.click("#scan")
    expect(page.locator("#found-code")).to_have_text(format_code(vouchers[1]))
    assert page.locator("#camera").is_hidden()
    page.click("#record")
    expect(page.locator("#outbox li")).to_have_attribute("data-state", "recorded")
    (by_voucher,) = page.evaluate("FieldStore.all('outbox')")
    page.context.set_offline(True)
    by_id = type_id_number(page, "AB000000", 1)
    assert by_id["household"] == "AB000000"  # on the phone until the server answers...
    page.context.set_offline(False)
    waiting(page, 0)
    answered = {i["id"]: i for i in page.evaluate("FieldStore.all('outbox')")}
    wire.explains([answered[by_id["id"]]["state"]])
    assert "household" not in answered[by_id["id"]]  # ...then gone
    with_camera.close()
    found = ledger(live_server, admin)["by"]
    assert found == {vouchers[1]: by_voucher["id"], vouchers[0]: by_id["id"]}


def type_id_number(page: Any, household: str, size: int) -> Any:
    """Record a kit by the ID number typed at the door; the outbox item it made."""
    page.fill("#in-find", household)
    page.press("#in-find", "Enter")
    page.fill("#in-size", str(size))
    page.click("#by-id button[type=submit]")
    waiting(page, 1)
    (item,) = [i for i in page.evaluate("FieldStore.all('outbox')") if i["state"] == "pending"]
    return item


@pytest.mark.parametrize("store_settings", ["sqlite"], indirect=True)  # the page, not the store
def test_the_printed_sign_in_qr_reads_back_as_the_link_that_signs_a_phone_in(
    browser: Any,  # noqa: F811 - the fixture imported above
    live_server: LiveServer,
    store_settings: Settings,
) -> None:
    from playwright.sync_api import expect

    listed_campaign(live_server, 1)
    page = browser.new_context(viewport=PHONE).new_page()
    page.goto(f"{live_server.url}/field/sign-in?lang=en")
    page.fill("#in-scope", SLUG)
    page.fill("#in-unit", "anfa")
    page.fill("#in-token", sign_in_link(live_server).rsplit("token=", 1)[1])
    page.click("#make button")
    expect(page.locator("body")).to_have_attribute("data-ready", "yes")
    page.add_script_tag(url="/static/vendor/jsqr/jsQR.js")
    link = page.evaluate(READ_QR)
    open_app(page, link)
    expect(page.locator("#n-listed")).to_have_text("1")


# Draws the printed QR (an SVG) on a canvas and reads it with the app's own decoder.
READ_QR = """async () => {
  const img = document.getElementById("qr");
  await img.decode();
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 400;
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, 400, 400);
  context.drawImage(img, 20, 20, 360, 360);
  const pixels = context.getImageData(0, 0, 400, 400);
  return jsQR(pixels.data, 400, 400).data;
}"""
