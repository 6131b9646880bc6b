"""`sokbo bench scale`, whole-pipeline parts: what a `sokbo run` costs as the store grows, the
end-to-end ratio to a Kiwi-only pass, the speed-up of `--jobs 2`, the peak RSS of a first run
of 10,000 articles (``first_lines`` says how they are made), and `sokbo backfill` on Ray.

Stores are built fast, without Kiwi: every text of data/clusters is analysed once (sentences
and clustering terms, as the store keeps them), and a store of N articles is N copies with new
URLs and times (``scale.synthetic_items``' pace, texts drawn from all but the last HELD_OUT)
bulk-inserted into the ``articles`` table (with their sentences' analyses, as a run keeps them)
and clustered by ``cluster.stored.add_items``, as if every earlier run had written them. They
have no posts (posts of old stories are the writer's cost, not the store's). The new articles
of a measured run are the held-out texts.

Each measured run is a real ``run_pipeline`` over a JSONL file of new articles (new URLs, times
on the store's last day, so they meet its recent stories), in a fresh process (its own peak
RSS), on one core (``jobs=1``) unless said otherwise, with the preview site. With `--jobs 2`
the workers' peak RSS is read from /proc before they exit (``sokbo.workers.USAGE``) and
reported beside the run's, with their CPU time (of workers forked by the run's process: its
reaped children's; of a fork server's: read from /proc as well).
Every text of data/clusters is analysed once for the whole bench (``source_file``).
"""
from __future__ import annotations

import json
import pickle
import random
import statistics
import time
from pathlib import Path
from typing import Any

__all__ = ["backfill_part", "e2e_part", "first_lines", "first_part", "run_part", "speedup",
           "tables", "notes", "two_core_estimate"]

NEW = 20          # articles a measured run adds
REPEAT = 2        # runs adding NEW articles at each size (the fastest is reported)
# the last texts are kept out of the stored stream: new articles are news, not the stored
# articles again (a copy of a stored text would join its story and rewrite a larger post)
HELD_OUT = 300
# articles of the end-to-end, Kiwi-only and --jobs runs: a first run of a day's news or so,
# large enough that the workers' start-up (an import and a Kiwi load each) is not most of it
E2E_ARTICLES = 200
# what a run imports on first use (a `watch` process has them after its first run): the
# stages' modules and the libraries they load lazily
WARM_MODULES = (
    "sokbo.pipeline", "sokbo.sources", "sokbo.workers", "sokbo.ingest", "sokbo.extract",
    "sokbo.cluster.stored", "sokbo.cluster.days", "sokbo.write", "sokbo.write.salience",
    "sokbo.korean.formal", "sokbo.korean.suicide", "sokbo.korean.transcript", "sokbo.lint",
    "sokbo.lint.markdown", "sokbo.render", "sokbo.render.card", "sokbo.render.jekyll",
    "sokbo.render.hugo", "sokbo.site", "sokbo.topic", "sokbo.edits", "sokbo.database",
    "sokbo.crashlog", "numpy", "scipy.sparse", "PIL.Image", "PIL.ImageDraw", "PIL.ImageFont",
    "PIL.PngImagePlugin", "jinja2", "nh3", "yaml", "html5lib", "charset_normalizer",
)
# runs of each kind in the e2e part, interleaved; the fastest of each is compared (on this
# 2-core machine one Kiwi-only pass measured 2.9 to 3.4 s within an hour)
E2E_REPEAT = 3
BACKFILL_ARTICLES = 120
SEED = 20


# -- the source texts, analysed once ---------------------------------------------------------------

def source_file(ctx: Any) -> Path:
    """A pickle of every usable data/clusters text: (title, text, outlet, sentences, terms)."""
    path = ctx.work / "sources.pkl"
    if not path.is_file():
        from sokbo.bench.common import data_path
        from sokbo.errors import SokboError
        from sokbo.extract import article_from_text
        from sokbo.workers import article_terms

        rows = [json.loads(x) for x in data_path(ctx.shared, "clusters", "articles.jsonl")
                .read_text("utf-8").splitlines() if x.strip()]
        out = []
        for r in rows:
            try:
                a = article_from_text(r["text"], title=r["title"], url="https://s.example/x",
                                      outlet=r.get("outlet") or "매체")
            except SokboError:
                continue  # too short, not Korean: a real run would skip it too
            out.append((a.title, a.text, a.outlet,
                        json.dumps([[s.text, s.start, s.end] for s in a.sentences],
                                   ensure_ascii=False), article_terms(a)))
        path.write_bytes(pickle.dumps(out))
    return path


def morphs_file(sources: str) -> Path:
    """Beside the sources pickle: what a run keeps of each text (``pack_morphs``): its
    sentences as its extraction analysed them (``workers.sentence_morphs``), and the texts
    the writer made of them, which it adds when it writes a post from the article: here each
    text's post is written alone to make them."""
    path = Path(sources).with_name("morphs.pkl")
    if not path.is_file():
        from sokbo.conflicts import find_conflicts
        from sokbo.errors import SokboError
        from sokbo.korean.kiwi import clear_token_cache, pack_morphs, unpack_morphs
        from sokbo.korean.sentences import analyse_article
        from sokbo.models import Article, Sentence, Story
        from sokbo.write import WriterOptions, write_post

        out = []
        for k, (title, text, outlet, sentences, _) in enumerate(_sources(sources)):
            article = Article(
                id=f"m{k}", url=f"https://s.example/{k}", title=title, outlet=outlet,
                published=None, text=text, sentences=tuple(
                    Sentence(text=t, source_id=f"m{k}", index=i, start=a, end=b)
                    for i, (t, a, b) in enumerate(json.loads(sentences))))
            found = analyse_article(text, article.id)  # extraction's one pass, as a run's
            if found.sentences == article.sentences:
                unpack_morphs([s.text for s in article.sentences], found.packed())
            try:
                write_post(Story(id=f"s{k}", articles=(article,)), WriterOptions())
            except SokboError:
                pass  # no post from it alone: its sentences are kept all the same
            # what a story of several outlets reads of it too (the stored stories are)
            find_conflicts([article])
            out.append(pack_morphs([s.text for s in article.sentences]))
            clear_token_cache()
        path.write_bytes(pickle.dumps(out))
    return path


def held_out(sources: list[Any]) -> int:
    """How many of the last texts only new articles use (a quarter of a small set)."""
    return min(HELD_OUT, max(1, len(sources) // 4))


def _sources(path: str) -> list[tuple[str, str, str, str, Any]]:
    return pickle.loads(Path(path).read_bytes())


def _stream(n_sources: int, n: int, per_day: int, start: int = 0):
    """(index, source, id, url, epoch time) of articles start … start+n-1: the stream of
    ``scale.synthetic_items`` (same ids, times and source choices)."""
    from sokbo.bench.scale import SEED as STREAM_SEED
    from sokbo.bench.scale import START
    from sokbo.cluster.terms import DAY_SECONDS
    from sokbo.models import article_id_for

    rng = random.Random(STREAM_SEED)
    for _ in range(start):
        rng.randrange(n_sources)
    step = DAY_SECONDS / per_day
    for k in range(start, start + n):
        src = rng.randrange(n_sources)
        url = f"https://scale.example/{k // per_day}/{k}"
        yield k, src, article_id_for(url), url, START + k * step


def _build(out: str, sources: str, n: int, per_day: int) -> dict[str, Any]:
    """Child: a store of n stored, analysed, clustered articles (no posts) in OUT/sokbo.db."""
    from datetime import datetime, timezone

    from sokbo.bench.scale import _params
    from sokbo.cluster.stored import add_items
    from sokbo.cluster.terms import Item
    from sokbo.dates import KST
    from sokbo.models import content_hash
    from sokbo.store import Store, now_iso

    src = _sources(sources)
    morphs = pickle.loads(morphs_file(sources).read_bytes())  # made once, for every size
    t0 = time.perf_counter()
    now = now_iso()
    with Store(Path(out) / "sokbo.db") as store:
        batch: list[tuple[Any, ...]] = []
        analysed: list[tuple[str, str, str]] = []
        items: list[Any] = []
        hashes: dict[str, str] = {}

        def flush() -> None:
            with store.transaction() as db:
                db.executemany(
                    "INSERT INTO articles (id, url, title, outlet, published, text, sentences, "
                    "image, category, content_hash, story_id, first_seen, updated) "
                    "VALUES (?,?,?,?,?,?,?,NULL,NULL,?,NULL,?,?)", batch)
                store.save_morphs(db, analysed)
            batch.clear()
            analysed.clear()

        for _, s, aid, url, at in _stream(len(src) - held_out(src), n, per_day):
            title, text, outlet, sentences, terms = src[s]
            when = datetime.fromtimestamp(at, timezone.utc).astimezone(KST).isoformat()
            h = content_hash(title, text)
            batch.append((aid, url, title, outlet, when, text, sentences, h, now, now))
            analysed.append((aid, h, morphs[s]))
            items.append(Item(aid, at, terms))
            hashes[aid] = h
            if len(batch) >= 5000:
                flush()
        flush()
        add_items(store, items, hashes=hashes, stories=False, **_params())
        with store.transaction() as db:
            db.execute("DELETE FROM story_pending")  # as if every post had been written
    return {"seconds": round(time.perf_counter() - t0, 2),
            "store_mb": round((Path(out) / "sokbo.db").stat().st_size / 2**20, 1)}


def _new_lines(sources: list[Any], after: int, per_day: int, count: int, tag: str) -> list[str]:
    """``count`` new articles as JSONL lines, on the day of stored article ``after`` - 1."""
    from datetime import datetime, timezone

    from sokbo.bench.scale import START
    from sokbo.cluster.terms import DAY_SECONDS
    from sokbo.dates import KST

    rng = random.Random(f"{SEED}-{tag}")
    last = START + max(after - 1, 0) * DAY_SECONDS / per_day
    held = sources[len(sources) - held_out(sources):]
    # distinct texts while there are enough (a repeated text is a duplicate, not news)
    picks = rng.sample(range(len(held)), count) if count <= len(held) \
        else [rng.randrange(len(held)) for _ in range(count)]
    lines = []
    for j, k in enumerate(picks):
        title, text, outlet, _, _ = held[k]
        at = datetime.fromtimestamp(last - j * 60, timezone.utc).astimezone(KST)
        lines.append(json.dumps({"title": title, "text": text, "outlet": outlet,
                                 "url": f"https://new.example/{tag}/{j}",
                                 "published": at.isoformat()}, ensure_ascii=False))
    return lines


def _run(out: str, jsonl: str | list[str], jobs: int, preview: bool = True,
         warm: bool = True) -> dict[str, Any]:
    """Child: `sokbo run` over one JSONL file (or several). ``warm``: timed from the call,
    imports and Kiwi loaded before (as in a `watch` process); else timed from the start, as a
    `sokbo run` command is (imports, Kiwi and worker start-up included)."""
    import os
    import resource

    t0, c0 = time.perf_counter(), time.process_time()
    load = os.getloadavg()[0]
    if warm:
        import importlib

        for name in WARM_MODULES:  # imports are not the run's time
            importlib.import_module(name)
        from sokbo.korean.kiwi import get_kiwi

        get_kiwi()  # a watch process has it loaded; its ~2 s load is not a run's cost
        t0, c0 = time.perf_counter(), time.process_time()
    from sokbo import workers
    from sokbo.config import load_settings
    from sokbo.pipeline import run_pipeline

    settings = load_settings().with_overrides(out_dir=Path(out), jobs=jobs)
    report = run_pipeline(settings, [jsonl] if isinstance(jsonl, str) else jsonl,
                          preview=preview)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped by now
    usage = workers.USAGE  # a fork server's workers are not this process's children
    others = children.ru_utime + children.ru_stime + usage["workers_cpu_seconds"] + \
        usage["server_cpu_seconds"]
    return {"jobs": jobs, "seconds": round(seconds, 3), "cpu_seconds": round(cpu, 3),
            "workers_cpu_seconds": round(others, 3),
            "workers_peak_rss_mb": round(max(usage["workers_peak_rss_mb"],
                                             usage["server_peak_rss_mb"]), 1),
            "load_average": [round(load, 2), round(os.getloadavg()[0], 2)],
            "posts": len(report.posts), "errors": len(report.errors),
            "articles": report.articles_read}


def two_core_estimate(run: dict[str, Any]) -> float:
    """A run's time on two free cores from its CPU times: the busier core finishes last (this
    process's own work, or half of all the work, whichever is longer). A lower bound: it
    ignores the steps that wait for each other (start-up, clustering between extraction and
    writing, the last story)."""
    return max(run["cpu_seconds"], (run["cpu_seconds"] + run["workers_cpu_seconds"]) / 2)


def speedup(one: dict[str, Any], two: dict[str, Any]) -> dict[str, Any]:
    """`--jobs 2` over `--jobs 1`: measured wall time, and from CPU times (see above)."""
    return {"wall": round(one["seconds"] / two["seconds"], 2),
            "cpu_estimate": round((one["cpu_seconds"] + one["workers_cpu_seconds"])
                                  / two_core_estimate(two), 2),
            "load_average": [one["load_average"], two["load_average"]]}


def _kiwi_only(jsonl: str) -> dict[str, Any]:
    """Child: the Kiwi-only pass: tokenise each article's title and text, nothing else."""
    from sokbo.korean.kiwi import get_kiwi

    kiwi = get_kiwi()
    rows = [json.loads(x) for x in Path(jsonl).read_text("utf-8").splitlines() if x.strip()]
    t0, c0 = time.perf_counter(), time.process_time()
    tokens = sum(len(kiwi.tokenize(r["title"] + "\n" + r["text"])) for r in rows)
    return {"seconds": round(time.perf_counter() - t0, 3),
            "cpu_seconds": round(time.process_time() - c0, 3), "tokens": tokens}


# -- part: run -------------------------------------------------------------------------------------

def run_part(ctx: Any) -> dict[str, Any]:
    """`sokbo run` adding 20 articles to an empty store and to each size; peak RSS; exponent."""
    from sokbo.bench.scale import fit_exponent, in_fresh_process

    sources_path = source_file(ctx)
    sources = _sources(str(sources_path))
    rows = []
    repeat = REPEAT
    for n in (0, *ctx.sizes):
        out = ctx.work / f"run-{n}"
        build = in_fresh_process(_build, str(out), str(sources_path), n, ctx.per_day) if n \
            else {"seconds": 0.0, "store_mb": 0.0, "peak_rss_mb": 0.0}
        runs = []
        for rep in range(repeat):
            jsonl = ctx.work / f"new-{n}-{rep}.jsonl"
            # the same new texts for every size, dated on the store's last day (where they
            # meet its open stories): only the store differs
            jsonl.write_text("\n".join(_new_lines(sources, max(n, 1), ctx.per_day, NEW,
                                                  f"r{rep}")) + "\n", "utf-8")
            target = out if n else ctx.work / f"run-0-{rep}"
            runs.append(in_fresh_process(_run, str(target), str(jsonl), 1))
        rows.append({"articles": n, "build_seconds": build["seconds"],
                     "build_peak_rss_mb": build["peak_rss_mb"], "store_mb": build["store_mb"],
                     "add_seconds": [r["seconds"] for r in runs],
                     "add_cpu_seconds": [r["cpu_seconds"] for r in runs],
                     "add_min_seconds": min(r["seconds"] for r in runs),
                     "add_min_cpu_seconds": min(r["cpu_seconds"] for r in runs),
                     "add_peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
                     "posts": [r["posts"] for r in runs],
                     "errors": sum(r["errors"] for r in runs)})
    empty = rows[0]
    sized = rows[1:]
    return {
        "new_articles": NEW, "repeat": repeat, "sizes": rows,
        "add_growth_exponent": fit_exponent([r["articles"] for r in sized],
                                            [r["add_min_seconds"] for r in sized]),
        "add_growth_exponent_cpu": fit_exponent([r["articles"] for r in sized],
                                                [r["add_min_cpu_seconds"] for r in sized]),
        "largest_over_empty": round(sized[-1]["add_min_seconds"] / empty["add_min_seconds"], 3)
        if sized and empty["add_min_seconds"] else None,
        "largest_over_empty_cpu": round(
            sized[-1]["add_min_cpu_seconds"] / empty["add_min_cpu_seconds"], 3)
        if sized and empty["add_min_cpu_seconds"] else None,
        "peak_rss_mb": max(max(r["add_peak_rss_mb"], r["build_peak_rss_mb"]) for r in rows),
    }


# -- part: e2e (Kiwi-only ratio, --jobs 2) ---------------------------------------------------------

def e2e_part(ctx: Any) -> dict[str, Any]:
    """A first run of E2E_ARTICLES articles: one core, two jobs, and the Kiwi-only pass,
    each E2E_REPEAT times (the fastest of each kind is reported, every time listed)."""
    from sokbo.bench.scale import in_fresh_process

    sources = _sources(str(source_file(ctx)))
    jsonl = ctx.work / "e2e.jsonl"
    jsonl.write_text("\n".join(_new_lines(sources, 1, ctx.per_day, E2E_ARTICLES, "e2e"))
                     + "\n", "utf-8")
    samples: dict[str, list[dict[str, Any]]] = {k: [] for k in
                                                 ("kiwi_only", "jobs_1", "cold_1", "cold_2")}
    for rep in range(E2E_REPEAT):  # interleaved: a slow spell of the machine hits each kind
        samples["kiwi_only"].append(in_fresh_process(_kiwi_only, str(jsonl)))
        samples["jobs_1"].append(in_fresh_process(_run, str(ctx.work / f"e2e-1-{rep}"),
                                                  str(jsonl), 1))
        # the --jobs pair: whole `sokbo run` processes, start-up included (workers pay
        # theirs)
        for j in (1, 2):
            samples[f"cold_{j}"].append(in_fresh_process(
                _run, str(ctx.work / f"e2e-cold-{j}-{rep}"), str(jsonl), j, True, False))
    kiwi, one, *pair = (min(runs, key=lambda r: r["seconds"]) for runs in samples.values())
    cold = dict(zip((1, 2), pair, strict=True))
    gain = speedup(cold[1], cold[2])
    return {
        "articles": E2E_ARTICLES, "repeat": E2E_REPEAT,
        "seconds": {k: [r["seconds"] for r in runs] for k, runs in samples.items()},
        "kiwi_only": kiwi, "jobs_1": one, "jobs_1_cold": cold[1], "jobs_2_cold": cold[2],
        "ratio_to_kiwi_only": round(one["seconds"] / kiwi["seconds"], 2),
        "ratio_to_kiwi_only_cpu": round(one["cpu_seconds"] / kiwi["cpu_seconds"], 2),
        "jobs_2_speedup": gain["wall"],
        "jobs_2_speedup_cpu_estimate": gain["cpu_estimate"],
        "jobs_2_load_average": gain["load_average"],
        "articles_per_second": {"kiwi_only": round(E2E_ARTICLES / kiwi["seconds"], 1),
                                "jobs_1": round(E2E_ARTICLES / one["seconds"], 2),
                                "jobs_2": round(E2E_ARTICLES / cold[2]["seconds"], 2)},
    }


# -- part: first (a first run of 10,000 articles: peak RSS, --jobs 2) ------------------------------

FIRST_ARTICLES = 10_000
# a text's later copies are titled as a news desk re-issues a story (종합 = roundup, N보 = N-th
# report), so that their content hashes differ
COPY_TAGS = ("", "[종합]", "[2보]", "[종합2보]", "[3보]", "[종합3보]")


def first_lines(sources: list[Any], n: int, per_day: int) -> list[str]:
    """``n`` distinct articles for a first run, from the analysed texts in file order.

    Article k is text k mod T (T texts), copy c = k div T: a new URL, dated k × 86,400 /
    ``per_day`` s after the start (300 a day: 10,000 articles span 33 days), and from the
    second copy on its headline tagged as a re-issued report (COPY_TAGS, then "(c)"), so that
    every input has its own URL and content hash. Neighbouring texts of the file stay
    neighbours in time, so its same-event clusters still meet inside the clustering window;
    a text's copies are T / ``per_day`` days apart (7 with 2,143 texts), beyond the 72-hour
    window: each copy is news again, clustered with that copy's neighbours.
    """
    from datetime import datetime, timezone

    from sokbo.bench.scale import START
    from sokbo.cluster.terms import DAY_SECONDS
    from sokbo.dates import KST

    lines = []
    for k in range(n):
        c, i = divmod(k, len(sources))
        title, text, outlet, _, _ = sources[i]
        tag = COPY_TAGS[c] if c < len(COPY_TAGS) else f"[종합{c}보]"
        at = datetime.fromtimestamp(START + k * DAY_SECONDS / per_day, timezone.utc)
        lines.append(json.dumps({"title": f"{tag} {title}" if tag else title, "text": text,
                                 "outlet": outlet, "url": f"https://first.example/{c}/{i}",
                                 "published": at.astimezone(KST).isoformat()},
                                ensure_ascii=False))
    return lines


def first_part(ctx: Any) -> dict[str, Any]:
    """A first run of ``ctx.first_articles`` articles (default 10,000) on an empty store, with
    `--jobs 1` and `--jobs 2`, each a whole `sokbo run` process: peak RSS of every process
    (the run's, its workers', their fork server's), times, and the --jobs 2 speed-up."""
    from sokbo.bench.scale import in_fresh_process

    n = getattr(ctx, "first_articles", FIRST_ARTICLES)
    sources = _sources(str(source_file(ctx)))
    lines = first_lines(sources, n, ctx.per_day)
    files = []  # a day's news a file (an input file may hold 20 MB)
    for start in range(0, len(lines), ctx.per_day):
        files.append(str(ctx.work / f"first-{start // ctx.per_day:03d}.jsonl"))
        Path(files[-1]).write_text("\n".join(lines[start:start + ctx.per_day]) + "\n",
                                   "utf-8")
    del lines
    runs = {j: in_fresh_process(_run, str(ctx.work / f"first-{j}"), files, j, True, False)
            for j in (1, 2)}
    for r in runs.values():
        r["max_peak_rss_mb"] = max(r["peak_rss_mb"], r["workers_peak_rss_mb"])
    gain = speedup(runs[1], runs[2])
    return {"articles": n, "jobs_1": runs[1], "jobs_2": runs[2],
            "peak_rss_mb": max(r["max_peak_rss_mb"] for r in runs.values()),
            "jobs_2_speedup": gain["wall"], "jobs_2_speedup_cpu_estimate": gain["cpu_estimate"],
            "jobs_2_load_average": gain["load_average"]}


# -- part: backfill (Ray, 1 vs 2 workers) ----------------------------------------------------------

def _backfill(out: str, jsonl: str, workers: int) -> dict[str, Any]:
    """Child: `sokbo backfill` of one JSONL file on a local Ray of ``workers`` CPUs."""
    import ray

    from sokbo.backfill import run_backfill
    from sokbo.config import load_settings

    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    started = time.perf_counter() - t0
    try:
        settings = load_settings().with_overrides(out_dir=Path(out))
        t1 = time.perf_counter()
        report = run_backfill(settings, [jsonl], workers=workers, preview=False)
        total = time.perf_counter() - t1
    finally:
        ray.shutdown()
    return {"ray_start_seconds": round(started, 2), "seconds": round(total, 2),
            **{f"{k}_seconds": v for k, v in report.seconds.items()},
            "articles": report.articles_read, "posts": len(report.posts)}


def backfill_part(ctx: Any) -> dict[str, Any]:
    """Backfill BACKFILL_ARTICLES articles with 1 and 2 Ray workers; project 1,000,000."""
    from sokbo.bench.scale import in_fresh_process

    sources = _sources(str(source_file(ctx)))
    jsonl = ctx.work / "backfill.jsonl"
    # spread over weeks, as an archive is
    lines = []
    for j, line in enumerate(_new_lines(sources, 1, ctx.per_day, BACKFILL_ARTICLES, "bf")):
        rec = json.loads(line)
        rec["published"] = f"2026-0{1 + j % 3}-{1 + j % 28:02d}T{8 + j % 12:02d}:00:00+09:00"
        lines.append(json.dumps(rec, ensure_ascii=False))
    jsonl.write_text("\n".join(lines) + "\n", "utf-8")
    runs = {w: in_fresh_process(_backfill, str(ctx.work / f"bf-{w}"), str(jsonl), w)
            for w in (1, 2)}
    n = BACKFILL_ARTICLES
    analyse = {w: r["read_and_analyse_seconds"] / n for w, r in runs.items()}
    write = statistics.fmean(r["cluster_and_write_seconds"] / n for r in runs.values())
    million = 1_000_000
    return {
        "articles": n, "workers": runs,
        "analysis_speedup_2_workers": round(analyse[1] / analyse[2], 2),
        "per_article_seconds": {"analyse_1_worker": round(analyse[1], 4),
                                "analyse_2_workers": round(analyse[2], 4),
                                "cluster_and_write": round(write, 4)},
        # measured per-article costs × 1,000,000: analysis on 2 workers here, on W workers
        # it divides by about W/2; clustering and writing run in the driver
        "projected_hours_1m": {
            "analyse_2_workers": round(analyse[2] * million / 3600, 1),
            "cluster_and_write": round(write * million / 3600, 1),
            "total": round((analyse[2] + write) * million / 3600, 1),
        },
    }


# -- output ----------------------------------------------------------------------------------------

def tables(report: dict[str, Any]) -> list[Any]:
    from rich.table import Table

    out = []
    run = report.get("run")
    if run:
        t = Table(title=f"sokbo bench scale — `sokbo run` adding {run['new_articles']} "
                        "articles (one core, with the preview)")
        for col in ("stored articles", "build s", "store MB", "add: s (min)", "add: CPU s",
                    "posts written", "peak RSS MB"):
            t.add_column(col, justify="right")
        for r in run["sizes"]:
            t.add_row(f"{r['articles']:,}", f"{r['build_seconds']:.1f}", f"{r['store_mb']:.0f}",
                      f"{r['add_min_seconds']:.2f}", f"{r['add_min_cpu_seconds']:.2f}",
                      "/".join(map(str, r["posts"])), f"{r['add_peak_rss_mb']:.0f}")
        out.append(t)
    return out


def notes(report: dict[str, Any]) -> list[str]:
    lines = []
    run = report.get("run")
    if run:
        lines.append(
            f"run: largest store / empty store = {run['largest_over_empty']} "
            f"(CPU {run['largest_over_empty_cpu']}; target ≤ 1.5); growth exponent "
            f"{run['add_growth_exponent']} (CPU {run['add_growth_exponent_cpu']}; target ≤ 0.1);"
            f" peak RSS {run['peak_rss_mb']:.0f} MB (target ≤ 700)")
    e2e = report.get("e2e")
    if e2e:
        lines.append(
            f"first run of {e2e['articles']} articles: {e2e['ratio_to_kiwi_only']}× the "
            f"Kiwi-only pass (CPU {e2e['ratio_to_kiwi_only_cpu']}×; target ≤ 2.5), --jobs 2 "
            f"{e2e['jobs_2_speedup']}× faster as whole `sokbo run` processes (from CPU times "
            f"on two free cores: {e2e['jobs_2_speedup_cpu_estimate']}×; target ≥ 1.7; load "
            f"average before/after each: {e2e['jobs_2_load_average']}); articles/s "
            f"{e2e['articles_per_second']}; peak RSS {e2e['jobs_1']['peak_rss_mb']:.0f} MB")
    first = report.get("first")
    if first:
        one, two = first["jobs_1"], first["jobs_2"]
        lines.append(
            f"first run of {first['articles']:,} articles: peak RSS {first['peak_rss_mb']:.0f}"
            f" MB (target ≤ 700; --jobs 1 {one['peak_rss_mb']:.0f} MB; --jobs 2 main "
            f"{two['peak_rss_mb']:.0f} MB, workers {two['workers_peak_rss_mb']:.0f} MB); "
            f"--jobs 1 {one['seconds']:.0f} s ({one['cpu_seconds']:.0f} s CPU), --jobs 2 "
            f"{two['seconds']:.0f} s: {first['jobs_2_speedup']}× (from CPU times: "
            f"{first['jobs_2_speedup_cpu_estimate']}×; load average "
            f"{first['jobs_2_load_average']}); posts {one['posts']} / {two['posts']}")
    bf = report.get("backfill")
    if bf:
        lines.append(
            f"backfill of {bf['articles']} articles on Ray: analysis "
            f"{bf['analysis_speedup_2_workers']}× faster on 2 workers; per article "
            f"{bf['per_article_seconds']}; 1,000,000 articles ≈ "
            f"{bf['projected_hours_1m']['total']} h on this machine "
            f"({bf['projected_hours_1m']})")
    return lines
