"""Hostile input over HTTP: queries that crashed the server, and exports of formula-looking titles."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.api.conftest import World, upload

FORMULA = "=cmd|' /C calc'!A0"


def test_a_doubly_negated_group_and_deep_nesting_never_give_500(world: World) -> None:
    auth = world.auth("auditor")
    ok = world.client.get("/api/search", params={"q": "墙 -(-砖)"}, headers=auth)
    assert ok.status_code == 200, ok.text
    deep = world.client.get("/api/search", params={"q": "-(" * 166 + "砖" + ")" * 166}, headers=auth)
    assert deep.status_code == 400, deep.text
    exported = world.client.get("/api/search/export", params={"q": "墙 -(-砖)", "format": "csv"}, headers=auth)
    assert exported.status_code == 200, exported.text


def test_exports_keep_formula_looking_titles_as_text(world: World) -> None:
    text = f"{FORMULA}\n公式注入 施工日志 标记 GS51Q\n".encode()
    response = upload(world, [("=HYPERLINK(公式名).txt", text)])
    assert response.status_code == 202, response.text
    assert world.wait(response.json()["id"])["state"] == "done"
    auth = world.auth("auditor")
    as_csv = world.client.get("/api/search/export", params={"q": "GS51Q", "format": "csv"}, headers=auth)
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"))))
    [row] = rows[1:]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row), row
    assert "'=HYPERLINK(公式名).txt" in row
    as_xlsx = world.client.get("/api/search/export", params={"q": "GS51Q", "format": "xlsx"}, headers=auth)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    cells = list(sheet[2])
    assert "=HYPERLINK(公式名).txt" in [cell.value for cell in cells]
    assert all(cell.data_type != "f" for cell in cells), "a formula-looking title became a live formula"


def test_upload_parts_with_colliding_names_are_all_taken(world: World) -> None:
    parts = [("a.txt", "第一份 施工日志 CA11Q".encode()), ("3-a.txt", "第二份 施工日志 CA22Q".encode()),
             ("a.txt", "第三份 施工日志 CA33Q".encode())]
    response = upload(world, parts)
    assert response.status_code == 202, response.text
    task = world.wait(response.json()["id"])
    assert task["state"] == "done" and [line["status"] for line in task["report"]["files"]] == ["ingested"] * 3
    assert not list((world.home / "uploads").glob(f"{response.json()['id']}*"))
