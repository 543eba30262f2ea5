"""Frames -> what a user reads: charts, tables and texts, in one look.

- `style`: the one chart style (fonts, greys, margins, toolbar) and a colour per arm;
- `texts`: doses, schedules and phases in words, and the pages' captions;
- `arm_charts`: Compare arms and Arm detail (dose, schedule, cumulative cells/kg, an arm per row);
- `across_charts`: Across trials (a trial per row, the trial in focus shaded);
- `tables`: the comparison table, the key to the charts, the across-trials table and summary, an arm's detail;
- `sources`: every number beside its sentence, and flags ranked by how much they matter.
"""
