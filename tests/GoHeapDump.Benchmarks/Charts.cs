using ScottPlot;

namespace GoHeapDump.Benchmarks;

/// <summary>The scaling charts (ScottPlot): throughput and peak memory against dump size, log-scaled sizes.</summary>
internal static class Charts
{
    public static void Write(string directory, IReadOnlyList<(string Source, long Bytes, string Pass, double Seconds, long PeakKb)> results)
    {
        Plot(Path.Combine(directory, "scaling-throughput.png"), results, "Throughput as dumps grow (flat = linear time)", "MB/s", logY: false,
            r => r.Bytes / 1e6 / r.Seconds);
        Plot(Path.Combine(directory, "scaling-memory.png"), results, "Peak resident memory as dumps grow", "peak RSS (MB)", logY: true,
            r => r.PeakKb / 1024.0);
    }

    private static void Plot(string path, IReadOnlyList<(string Source, long Bytes, string Pass, double Seconds, long PeakKb)> results,
        string title, string yLabel, bool logY, Func<(string Source, long Bytes, string Pass, double Seconds, long PeakKb), double> value)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category20();
        var series = results.GroupBy(r => (r.Source, r.Pass)).ToList();
        var passes = results.Select(r => r.Pass).Distinct().ToList();
        for (var i = 0; i < series.Count; i++)
        {
            var points = series[i].OrderBy(r => r.Bytes).ToList();
            var xs = points.Select(r => Math.Log10(r.Bytes / 1e6)).ToArray();
            var ys = points.Select(r => logY ? Math.Log10(Math.Max(1, value(r))) : value(r)).ToArray();
            var line = plot.Add.Scatter(xs, ys);
            line.LegendText = $"{series[i].Key.Pass} [{(series[i].Key.Source.StartsWith("Go", StringComparison.Ordinal) ? "gogen" : "ref. writer")}]";
            line.Color = palette.GetColor(passes.IndexOf(series[i].Key.Pass) % 20); // one colour per pass; dashed: gogen dumps
            line.LinePattern = series[i].Key.Source.StartsWith("Go", StringComparison.Ordinal) ? LinePattern.Dashed : LinePattern.Solid;
            line.MarkerSize = 6;
            line.LineWidth = 2;
        }

        plot.Title(title);
        plot.XLabel("dump size (MB, log scale)");
        plot.YLabel(logY ? yLabel + ", log scale" : yLabel);
        plot.Axes.Bottom.TickGenerator = LogTicks();
        if (logY)
        {
            plot.Axes.Left.TickGenerator = LogTicks();
        }

        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontSize = 10;
        plot.SavePng(path, 1200, 700);
    }

    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = v => Math.Pow(10, v).ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
