/**
 * Report rendering of a sweep: paper-style Markdown and LaTeX tables, CSV files, PNG plots drawn with
 * JFreeChart, and a Jupyter notebook (nbformat 4.5) with the tables, the plots and Python cells that
 * redraw them from the Parquet results. Entry point: {@link org.ternsweep.results.render.ReportWriter}. No Spark,
 * no ND4J: everything is rendered from the records of {@link org.ternsweep.results.model}.
 */
package org.ternsweep.results.render;
