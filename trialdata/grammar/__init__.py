"""The grammar: registry notation -> numbers, each with the words it was read from.

Tables of words (`vocabulary`) build the patterns; each module reads one thing:
`quantities` numbers of cells, `doses` what a number counts and in what role,
`schedules` how often, `routes` by which route, `products` what is given (cells,
a placebo, a cell-free product) and from which tissue, `phases` phase markers,
`sentences` where sentences end, and `text` the cleaning the others read after.
"""
