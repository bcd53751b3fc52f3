print("wvsim: not built yet")
