using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>One run of a pc-value table: the value holds for PCs below <paramref name="End"/> (and at or after the previous run's end).</summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="End">First PC past the run.</param>
/// <param name="Value">The value.</param>
public readonly record struct PcRun<T>(ulong End, T Value);

/// <summary>
/// A pc-value table: a value for every PC of a function, as runs from its entry to its end.
/// Go: runtime/symtab.go pcvalue over a function's pcdata/pcfile/pcln tables.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <param name="Runs">Runs in ascending order; the first starts at the function's entry, the last ends at its end.</param>
public sealed record PcTable<T>(ImmutableArray<PcRun<T>> Runs)
{
    /// <summary>The value at <paramref name="pc"/>, or false when <paramref name="pc"/> is outside [<paramref name="entry"/>, last run's end).</summary>
    public bool TryLookup(ulong entry, ulong pc, out T value)
    {
        if (pc >= entry)
        {
            foreach (var run in Runs)
            {
                if (pc < run.End)
                {
                    value = run.Value;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    public override string ToString() => string.Join(" ", Runs.Select(r => $"<0x{r.End:x}:{r.Value}"));
}

/// <summary>Factory methods for <see cref="PcTable{T}"/>.</summary>
public static class PcTable
{
    /// <summary>A table with one value for a whole function ending at <paramref name="end"/>.</summary>
    public static PcTable<T> Constant<T>(ulong end, T value) => new([new PcRun<T>(end, value)]);

    /// <summary>A table of the given runs.</summary>
    public static PcTable<T> Of<T>(params PcRun<T>[] runs) => new([.. runs]);
}

/// <summary>A source position of a PC. Go: funcline's (file, line).</summary>
/// <param name="File">File name; null when the file index is invalid (the runtime then reports "?", 0).</param>
/// <param name="Line">Line number (Go: int32); −1 when unknown (the runtime then reports "?", 0).</param>
public readonly record struct SourceLine(GoString? File, int Line)
{
    public override string ToString() => $"{(File is { } f ? f.ToString() : "<no file>")}:{Line}";
}

/// <summary>
/// A stack map: the pointer bitmaps a function's frames use, chosen by the stack-map index at the PC.
/// Go: runtime/symtab.go stackmap {n, nbit, bytedata}, read by stackmapdata.
/// </summary>
public sealed record StackMap
{
    /// <summary>
    /// Go: stackmap.n. ≥ 0: the number of bitmaps. &lt; 0 (locals maps only): the frame's locals are the
    /// −Count bytes below varp, all treated as pointers ("locals size information").
    /// </summary>
    public required int Count { get; init; }

    /// <summary>Go: stackmap.nbit, bits per bitmap (one per word).</summary>
    public int BitCount { get; init; }

    /// <summary>The Count bitmaps, each of BitCount bits; empty when Count ≤ 0.</summary>
    public ImmutableArray<BitVector> Bitmaps { get; init; } = [];

    /// <summary>A map with the given bitmaps (all of one length).</summary>
    public static StackMap Of(params BitVector[] bitmaps)
    {
        ArgumentNullException.ThrowIfNull(bitmaps);
        return new StackMap { Count = bitmaps.Length, BitCount = bitmaps.Length == 0 ? 0 : bitmaps[0].Length, Bitmaps = [.. bitmaps] };
    }

    /// <summary>A locals map that gives only the size of the locals (n = −<paramref name="bytes"/>).</summary>
    public static StackMap LocalsSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        return new StackMap { Count = -bytes };
    }

    public override string ToString() =>
        Count < 0 ? $"locals-size {-Count}" : $"{Count}×{BitCount} [{string.Join(", ", Bitmaps)}]";
}

/// <summary>
/// What the runtime's symbol table knows about a function. Go: runtime/symtab.go _func / funcInfo:
/// entry, name, FUNCDATA_ArgsPointerMaps, FUNCDATA_LocalsPointerMaps, PCDATA_StackMapIndex, pcfile/pcln.
/// </summary>
public sealed record FuncInfo
{
    /// <summary>Entry PC. Go: funcInfo.entry().</summary>
    public required ulong Entry { get; init; }

    /// <summary>First PC past the function; findfunc maps [Entry, End) to this function.</summary>
    public required ulong End { get; init; }

    /// <summary>Go: funcname(f). The stack-frame record writes "unknown function" when it is empty.</summary>
    public GoString Name { get; init; }

    /// <summary>Go: funcdata(f, _FUNCDATA_ArgsPointerMaps); null when absent.</summary>
    public StackMap? ArgsPointerMaps { get; init; }

    /// <summary>Go: funcdata(f, _FUNCDATA_LocalsPointerMaps); null when absent.</summary>
    public StackMap? LocalsPointerMaps { get; init; }

    /// <summary>Go: the _PCDATA_StackMapIndex table; null when the function has none (pcdatavalue gives −1). Values are −1 or a bitmap index.</summary>
    public PcTable<int>? StackMapIndex { get; init; }

    /// <summary>Go: the pcfile and pcln tables combined; null when the function has none (funcline gives "?", 0).</summary>
    public PcTable<SourceLine>? Lines { get; init; }

    public override string ToString() =>
        $"func \"{Name}\" [0x{Entry:x},0x{End:x}) args={ArgsPointerMaps?.ToString() ?? "none"} locals={LocalsPointerMaps?.ToString() ?? "none"}" +
        $" stackmapidx={StackMapIndex?.ToString() ?? "none"} lines={Lines?.ToString() ?? "none"}";
}
