print("wvconsole")
