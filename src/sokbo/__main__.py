from sokbo.cli import cli

cli()
