"""Engine benchmark: index build time, p50/p95 of check(), and scaling with the size of the contact book.

Run: python benchmarks/bench_check.py [--short]   (--short stays under ~20 s for CI; no times asserted)
"""

from __future__ import annotations

import argparse
import io
import itertools
import logging
import random
import statistics
import time
import zipfile
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

from missend_guard.core.check.checker import check
from missend_guard.core.check.context import CheckContext, HistorySnapshot
from missend_guard.core.check.policy import Policy
from missend_guard.core.contacts.book import Contact, ContactBook
from missend_guard.core.message.model import Message, parse_message
from missend_guard.core.rules.lookalike import rules as lookalike

logging.getLogger("pypdf").setLevel(logging.ERROR)  # the fake 1 MB PDF is not a real PDF

JA_FAMILY = [
    ("佐藤", "さとう", "sato"), ("鈴木", "すずき", "suzuki"), ("高橋", "たかはし", "takahashi"),
    ("田中", "たなか", "tanaka"), ("伊藤", "いとう", "ito"), ("渡辺", "わたなべ", "watanabe"),
    ("山本", "やまもと", "yamamoto"), ("中村", "なかむら", "nakamura"), ("小林", "こばやし", "kobayashi"),
    ("加藤", "かとう", "kato"), ("吉田", "よしだ", "yoshida"), ("山田", "やまだ", "yamada"),
    ("佐々木", "ささき", "sasaki"), ("山口", "やまぐち", "yamaguchi"), ("松本", "まつもと", "matsumoto"),
    ("井上", "いのうえ", "inoue"), ("木村", "きむら", "kimura"), ("林", "はやし", "hayashi"),
    ("斎藤", "さいとう", "saito"), ("清水", "しみず", "shimizu"), ("山崎", "やまざき", "yamazaki"),
    ("森", "もり", "mori"), ("池田", "いけだ", "ikeda"), ("橋本", "はしもと", "hashimoto"),
    ("阿部", "あべ", "abe"), ("石川", "いしかわ", "ishikawa"), ("前田", "まえだ", "maeda"),
    ("藤田", "ふじた", "fujita"), ("小川", "おがわ", "ogawa"), ("岡田", "おかだ", "okada"),
    ("長谷川", "はせがわ", "hasegawa"), ("村上", "むらかみ", "murakami"), ("近藤", "こんどう", "kondo"),
    ("石井", "いしい", "ishii"), ("坂本", "さかもと", "sakamoto"), ("遠藤", "えんどう", "endo"),
]
JA_GIVEN = [
    ("太郎", "たろう", "taro"), ("花子", "はなこ", "hanako"), ("健", "けん", "ken"),
    ("翔太", "しょうた", "shota"),
    ("美咲", "みさき", "misaki"), ("大輔", "だいすけ", "daisuke"), ("直樹", "なおき", "naoki"),
    ("陽子", "ようこ", "yoko"), ("誠", "まこと", "makoto"), ("恵", "めぐみ", "megumi"),
    ("一郎", "いちろう", "ichiro"), ("裕子", "ゆうこ", "yuko"), ("拓也", "たくや", "takuya"),
    ("由美", "ゆみ", "yumi"), ("浩", "ひろし", "hiroshi"), ("真由美", "まゆみ", "mayumi"),
    ("健一", "けんいち", "kenichi"), ("さくら", "さくら", "sakura"), ("亮", "りょう", "ryo"),
    ("愛", "あい", "ai"), ("隆", "たかし", "takashi"), ("明美", "あけみ", "akemi"),
    ("学", "まなぶ", "manabu"),
]
EN_GIVEN = ["James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
            "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
            "Charles", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Betty", "Mark", "Emily"]
EN_FAMILY = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
             "Martinez", "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson",
             "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young"]
SYLLABLES = ["ka", "ta", "na", "ma", "ya", "ra", "sa", "ha", "to", "ko", "mi", "ri", "shi", "chi", "no",
             "yo", "ga", "da", "ba", "su", "ku", "fu", "mo", "ro", "ne", "te", "se", "ki", "ni", "hi"]
JA_WORDS = ["商事", "物産", "銀行", "工業", "電機", "建設", "製作所", "システム", "証券", "保険", "化学",
            "食品"]
EN_WORDS = ["trading", "bank", "systems", "tech", "holdings", "partners", "labs", "logistics", "foods",
            "energy", "capital", "design", "media", "consulting", "works"]
SUFFIXES = ["co.jp"] * 6 + ["com"] * 4 + ["jp", "ne.jp", "or.jp", "co.uk", "com.au", "net"]
INTERNAL = "example-corp.co.jp"


def _company(rng: random.Random, i: int) -> tuple[str, str]:
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    word = rng.choice(EN_WORDS)
    domain = f"{stem}-{word}{i % 7 or ''}.{rng.choice(SUFFIXES)}"
    name = f"{stem.upper()}{rng.choice(JA_WORDS)}" if rng.random() < 0.6 else f"{stem.title()} {word.title()}"
    return name, domain


def make_contacts(count: int, seed: int = 1) -> list[Contact]:
    """`count` contacts over about count/10 companies; 60 % Japanese names with kana readings."""
    rng = random.Random(seed)
    companies = [_company(rng, i) for i in range(max(10, count // 10))]
    contacts = []
    for i in range(count):
        company, domain = rng.choice(companies)
        if rng.random() < 0.6:
            fam, fam_r, fam_l = rng.choice(JA_FAMILY)
            giv, giv_r, giv_l = rng.choice(JA_GIVEN)
            local = f"{giv_l}.{fam_l}{i}" if rng.random() < 0.5 else f"{fam_l}.{giv_l[0]}{i}"
            contacts.append(Contact(f"{fam} {giv}", (f"{local}@{domain}",), company, fam, giv, fam_r, giv_r))
        else:
            giv, fam = rng.choice(EN_GIVEN), rng.choice(EN_FAMILY)
            contacts.append(
                Contact(f"{giv} {fam}", (f"{giv.lower()}.{fam.lower()}{i}@{domain}",), company, fam, giv)
            )
    return contacts


def make_history(contacts: list[Contact], count: int, seed: int = 2) -> HistorySnapshot:
    """Half the history are contacts' addresses, half other people at about count/5 other domains."""
    rng = random.Random(seed)
    addresses = [rng.choice(contacts).emails[0] for _ in range(count // 2)]
    domains = [_company(rng, i)[1] for i in range(count // 5)]
    addresses += [f"user{i}@{rng.choice(domains)}" for i in range(count - len(addresses))]
    addresses += [f"colleague{i}@{INTERNAL}" for i in range(200)]
    return HistorySnapshot.of(addresses)


def _xlsx(size: int, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats'
                   '.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                   '2006/main"><sheets><sheet name="見積" sheetId="1" r:id="rId1"/></sheets></workbook>')
        rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{rng.random()}</v></c></row>' for r in range(1, 2000))
        z.writestr("xl/worksheets/sheet1.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>")
        z.writestr("xl/media/image1.png", rng.randbytes(size), compress_type=zipfile.ZIP_STORED)
    return buf.getvalue()


def _pdf(size: int, rng: random.Random) -> bytes:
    stream = rng.randbytes(size)
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0>>endobj\n"
            + b"3 0 obj<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream endobj\n"
            + b"trailer<</Root 1 0 R>>\n%%EOF\n")


def make_message(contacts: list[Contact]) -> Message:
    """10 recipients (known, internal, typo'd domain, typo'd address, unknown) and two 1 MB files."""
    rng = random.Random(3)
    known = contacts[:50]
    typo_domain = known[1].emails[0].replace("-", "", 1)
    local, _, domain = known[2].emails[0].partition("@")
    typo_address = f"{local[:-1]}{'x' if local[-1] != 'x' else 'y'}@{domain}"
    to = [(known[0].name, known[0].emails[0]), ("", typo_domain), ("", typo_address),
          ("同僚", f"colleague1@{INTERNAL}"), ("新規 顧客", "new.person@unknown-client.co.jp")]
    cc = [(c.name, c.emails[0]) for c in known[3:8]]
    msg = MIMEMultipart()
    msg["From"] = Header("山本 健", "iso-2022-jp").encode() + f" <ken.yamamoto@{INTERNAL}>"
    msg["To"] = ", ".join(f"{Header(n, 'iso-2022-jp').encode()} <{a}>" if n else a for n, a in to)
    msg["Cc"] = ", ".join(f"{Header(n, 'iso-2022-jp').encode()} <{a}>" for n, a in cc)
    msg["Subject"] = Header("御見積書送付の件", "iso-2022-jp").encode()
    msg.attach(MIMEText("株式会社ABC 田中様\n\nお世話になっております。御見積書を添付いたします。\n", "plain",
                        "iso-2022-jp"))
    for name, data, sub in (("御見積書.xlsx", _xlsx(1_000_000, rng), "vnd.openxmlformats-officedocument"
                             ".spreadsheetml.sheet"), ("仕様書.pdf", _pdf(1_000_000, rng), "pdf")):
        part = MIMEApplication(data, sub)
        part.add_header("Content-Disposition", "attachment", filename=("utf-8", "", name))
        msg.attach(part)
    return parse_message(msg.as_bytes())


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def measure(n_contacts: int, n_history: int, runs: int) -> dict[str, float]:
    """Build a context of the given size and time check() on the benchmark message."""
    contacts = make_contacts(n_contacts)
    history = make_history(contacts, n_history)
    message = make_message(contacts)
    t0 = time.perf_counter()
    book = ContactBook(contacts)
    t1 = time.perf_counter()
    context = CheckContext(Policy(internal_domains=frozenset({INTERNAL})), book, history)
    report = check(message, context)  # first check builds the lazy indexes
    t2 = time.perf_counter()
    times, ours = [], []
    for _ in range(runs):
        s = time.perf_counter()
        check(message, context)
        m = time.perf_counter()
        check(message, context, lookalike.RULES)
        ours.append(time.perf_counter() - m)
        times.append(m - s)
    p50, p95 = _percentiles(times)
    l50, _ = _percentiles(ours)
    return {"book": t1 - t0, "first": t2 - t1, "p50": p50, "p95": p95, "lookalike_p50": l50,
            "findings": float(len(report.findings))}


def main() -> None:
    """Print the numbers; never fails on timing."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--short", action="store_true", help="small sizes, few runs (CI)")
    args = parser.parse_args()
    sizes = (5_000, 50_000) if args.short else (5_000, 50_000, 500_000)
    history = 20_000 if args.short else 100_000
    runs = 15 if args.short else 60
    results = {}
    for n in sizes:
        r = measure(n, history, runs)
        results[n] = r
        print(f"{n:>7} contacts, {history} history: ContactBook {r['book'] * 1000:.0f} ms, "
              f"first check (index build) {r['first'] * 1000:.0f} ms, check p50 {r['p50'] * 1000:.2f} ms "
              f"p95 {r['p95'] * 1000:.2f} ms, lookalike rules p50 {r['lookalike_p50'] * 1000:.2f} ms, "
              f"{int(r['findings'])} findings", flush=True)
    for small, big in itertools.pairwise(sizes):
        ratio = results[big]["p50"] / results[small]["p50"]
        ours = results[big]["lookalike_p50"] / results[small]["lookalike_p50"]
        print(f"{big // 1000}k/{small // 1000}k p50 ratio: {ratio:.2f} (lookalike rules: {ours:.2f})")


if __name__ == "__main__":
    main()
