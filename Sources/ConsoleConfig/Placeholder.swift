// config loading
