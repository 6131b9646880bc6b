"""`sokbo train topic`: reproduce the shipped topic classifier from KLUE-YNAT headlines."""
from __future__ import annotations

import json
from pathlib import Path

import click

from sokbo.cli import handle_errors, json_option


@click.group(name="train", context_settings={"help_option_names": ["-h", "--help"]})
def train_group() -> None:
    """Train the models sokbo ships.

    Example:
        sokbo train topic --shared ../shared
    """


@train_group.command("topic")
@click.option("--shared", "shared_dir", type=click.Path(file_okay=False), default=None,
              help="The shared data folder (default $SOKBO_SHARED or ../shared).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Where to write the model (default: the package's shipped model file).")
@json_option
@handle_errors
def train_topic_command(shared_dir: str | None, out_path: str | None, as_json: bool) -> None:
    """Train the headline topic classifier on ynat/train.jsonl (dev.jsonl for model choice).

    Example:
        sokbo train topic --out /tmp/topic-model.npz
    """
    from sokbo.bench.common import find_shared
    from sokbo.topic import DEFAULT_MODEL_PATH, train_topic

    shared = find_shared(shared_dir)
    ynat = shared / "data" / "ynat"
    out = Path(out_path) if out_path else DEFAULT_MODEL_PATH
    metrics = train_topic(ynat / "train.jsonl", out, dev_path=ynat / "dev.jsonl")
    if as_json:
        click.echo(json.dumps(metrics, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(f"topic model written to {out}")
        for key, value in metrics.items():
            click.echo(f"  {key}: {value}")
