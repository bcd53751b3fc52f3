// CLI subcommands
