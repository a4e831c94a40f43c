"""Terminal views (Rich) of reports, labels, sig readings and plans; imported only when a table is printed."""
