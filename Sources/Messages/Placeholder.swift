// Message catalogue: see Catalog/*.strings
