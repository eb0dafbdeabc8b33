"""The exercise figure: a posable person, its keyframes per exercise, and SVG rendering."""
