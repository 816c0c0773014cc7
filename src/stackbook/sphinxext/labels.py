"""Words the extension itself puts on pages, per language (rules are data)."""

from __future__ import annotations

NAMES: dict[str, str] = {"en": "English", "ja": "日本語", "ko": "한국어"}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "on": "on {role}",
        "ini": "add to {path} on {role}",
        "ini_if_exists": "add to {path} on {role}, if the file exists",
        "write": "write {path} on {role}",
        "parameters": "parameters: change them before you run the runbook",
        "verified": "Verified on {date} against {target}.",
        "unverified": "Not verified yet: no reference run has passed.",
        "failing": "The check on {date} against {target} failed: this guide may be out of date.",
        "download": "Download this runbook (.ipynb)",
        "incomplete": "This page is not fully translated yet ({percent}% done).",
        "outdated": "The English page changed after this translation; some passages may be out of date.",
        "english": "Read the English page",
        "show": "Show output",
        "hide": "Hide output",
        "page": "Page",
        "language": "Language",
    },
    "ja": {
        "on": "{role} で実行",
        "ini": "{role} の {path} に追記",
        "ini_if_exists": "{role} の {path} に追記 (ファイルがある場合のみ)",
        "write": "{role} に {path} を作成",
        "parameters": "パラメーター: 実行前に環境に合わせて変更します",
        "verified": "{date} に {target} で動作を確認済みです。",
        "unverified": "未検証: 参照実行にまだ合格していません。",
        "failing": "{date} に {target} で実施した検証が失敗しました。この手順は現状と合っていない可能性があります。",
        "download": "このランブックをダウンロード (.ipynb)",
        "incomplete": "このページの翻訳は完了していません (翻訳済み {percent}%)。",
        "outdated": "翻訳後に英語版が更新されています。一部の記述が古い可能性があります。",
        "english": "英語版を読む",
        "show": "出力を表示",
        "hide": "出力を隠す",
        "page": "ページ",
        "language": "言語",
    },
    "ko": {
        "on": "{role}에서 실행",
        "ini": "{role}의 {path}에 추가",
        "ini_if_exists": "{role}의 {path}에 추가(파일이 있을 때만)",
        "write": "{role}에 {path} 파일 작성",
        "parameters": "매개변수: 실행하기 전에 환경에 맞게 바꿉니다",
        "verified": "{date}에 {target}에서 검증되었습니다.",
        "unverified": "미검증: 아직 참조 실행을 통과하지 않았습니다.",
        "failing": "{date}에 {target}에서 실행한 검증이 실패했습니다. 이 안내서의 내용이 현재와 다를 수 있습니다.",
        "download": "이 런북 내려받기(.ipynb)",
        "incomplete": "이 페이지는 아직 번역이 끝나지 않았습니다(번역률 {percent}%).",
        "outdated": "번역 이후 영어 원문이 바뀌었습니다. 일부 내용은 최신이 아닐 수 있습니다.",
        "english": "영어 원문 보기",
        "show": "출력 보기",
        "hide": "출력 숨기기",
        "page": "페이지",
        "language": "언어",
    },
}


def label(lang: str, key: str, **values: str) -> str:
    """The text for ``key`` in ``lang`` (English when the language has none), filled in."""
    table = LABELS.get(lang, LABELS["en"])
    return table.get(key, LABELS["en"][key]).format(**values)
