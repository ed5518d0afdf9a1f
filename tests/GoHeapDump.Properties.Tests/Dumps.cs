using GoHeapDump.Kaitai;
using GoHeapDump.Reference;
using GoHeapDump.Runtime;

namespace GoHeapDump.Properties.Tests;

/// <summary>What the reference writer did with a state.</summary>
/// <param name="Bytes">Every byte it handed to the sink (a file's contents), also when it died.</param>
/// <param name="Calls">The length of every write call, in order.</param>
/// <param name="Fatal">The fatal error it died of, or null.</param>
internal sealed record WriterRun(byte[] Bytes, IReadOnlyList<int> Calls, InvalidRuntimeStateException? Fatal);

/// <summary>What a parser made of some bytes.</summary>
/// <param name="Records">The records read, in order (EOF included when reached).</param>
/// <param name="Error">The structure error that stopped it, or null when it reached the end after EOF.</param>
/// <param name="Position">Where it stopped: the reader's position after the last record.</param>
internal sealed record ParseRun(List<HeapDumpRecord> Records, HeapDumpFormatException? Error, long Position);

/// <summary>Runs the reference writer and the Kaitai parser for the properties.</summary>
internal static class Dumps
{
    public static WriterRun Write(RuntimeState state, WriterFaults faults = WriterFaults.None)
    {
        var sink = new RecordingDumpSink();
        try
        {
            HeapDumpWriter.Write(state, sink, faults);
            return new WriterRun(sink.ToArray(), [.. sink.CallLengths], null);
        }
        catch (InvalidRuntimeStateException e)
        {
            return new WriterRun(sink.ToArray(), [.. sink.CallLengths], e);
        }
    }

    public static ParseRun ParseKaitai(byte[] bytes) => Parse(bytes, s => KaitaiHeapDumpReader.Open(s));

    /// <summary>Reads <paramref name="bytes"/> with the reader <paramref name="open"/> makes, to the end or the first error.</summary>
    public static ParseRun Parse(byte[] bytes, Func<Stream, IHeapDumpReader> open)
    {
        var records = new List<HeapDumpRecord>();
        IHeapDumpReader? reader = null;
        try
        {
            reader = open(new MemoryStream(bytes, writable: false));
            while (reader.Read() is { } record)
            {
                records.Add(record);
            }

            return new ParseRun(records, null, reader.Position);
        }
        catch (HeapDumpFormatException e)
        {
            return new ParseRun(records, e, reader?.Position ?? 0);
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>The first difference between two record lists, described for a failure message; null when equal.</summary>
    public static string? Diff(IReadOnlyList<HeapDumpRecord> expected, IReadOnlyList<HeapDumpRecord> actual)
    {
        var n = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < n; i++)
        {
            if (!expected[i].Equals(actual[i]))
            {
                return $"record #{i} differs:\n  expected {Show(expected[i])}\n  actual   {Show(actual[i])}";
            }
        }

        return expected.Count == actual.Count
            ? null
            : $"{expected.Count} records expected, {actual.Count} read; first extra: {Show(expected.Count > n ? expected[n] : actual[n])}";
    }

    /// <summary>A record as text, long ones cut.</summary>
    public static string Show(HeapDumpRecord record)
    {
        var text = record.ToString();
        return text.Length <= 600 ? text : text[..600] + "…";
    }
}
