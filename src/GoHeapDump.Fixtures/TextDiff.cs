using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace GoHeapDump.Fixtures;

/// <summary>A line diff for people (DiffPlex): changed lines with their neighbours, "-" before, "+" after.</summary>
internal static class TextDiff
{
    /// <summary>The changed lines of <paramref name="before"/> → <paramref name="after"/>, each with one line of context,
    /// at most <paramref name="maxLines"/> lines, each prefixed with <paramref name="indent"/>.</summary>
    public static string Render(string before, string after, string indent = "    ", int maxLines = 40)
    {
        var lines = InlineDiffBuilder.Diff(before, after, ignoreWhiteSpace: false).Lines;
        var text = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < lines.Count && shown < maxLines; i++)
        {
            if (lines[i].Type == ChangeType.Unchanged)
            {
                var nearChange = (i > 0 && lines[i - 1].Type != ChangeType.Unchanged) || (i + 1 < lines.Count && lines[i + 1].Type != ChangeType.Unchanged);
                if (!nearChange)
                {
                    continue;
                }
            }

            var mark = lines[i].Type switch
            {
                ChangeType.Inserted => "+",
                ChangeType.Deleted => "-",
                _ => " ",
            };
            text.Append(indent).Append(mark).Append(' ').Append(lines[i].Position is { } p ? $"{p,5}: " : "       ")
                .AppendLine(JsonlDifference.Clip(lines[i].Text, 200));
            shown++;
        }

        if (shown == maxLines)
        {
            text.Append(indent).AppendLine("… (more changes)");
        }

        return text.ToString();
    }
}
