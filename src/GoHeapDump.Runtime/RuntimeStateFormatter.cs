using System.Globalization;
using System.Text;

namespace GoHeapDump.Runtime;

/// <summary>
/// Readable text for a runtime state: one line per part, slots listed with their bytes and heap bits.
/// Meant for test failure messages (a shrunk state printed by a property test), so small states are shown
/// in full and large ones abbreviated.
/// </summary>
public static class RuntimeStateFormatter
{
    private const int MaxSlotsPerSpan = 16;
    private const int MaxHexBytes = 64;

    /// <summary>The whole state.</summary>
    public static string Describe(RuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var sb = new StringBuilder();
        sb.Append("platform ").Append(state.Platform).AppendLine();
        sb.Append("arenas [").AppendJoin(", ", state.Arenas.Select(a => $"0x{a:x}")).AppendLine("]");
        for (var i = 0; i < state.Spans.Length; i++)
        {
            sb.AppendLine(Describe(state.Spans[i], i, slotDetail: true, state.Platform.PtrSize));
        }

        foreach (var t in state.Types)
        {
            sb.AppendLine(t.ToString());
        }

        foreach (var itab in state.Itabs)
        {
            sb.AppendLine(itab.ToString());
        }

        foreach (var g in state.Goroutines)
        {
            sb.AppendLine(DescribeHeader(g));
            foreach (var f in g.Frames)
            {
                sb.Append("  ").AppendLine(f.ToString());
                if (f.Function is { } fn)
                {
                    sb.Append("    ").AppendLine(fn.ToString());
                }
            }

            foreach (var d in g.Defers)
            {
                sb.Append("  ").AppendLine(d.ToString());
            }

            foreach (var p in g.Panics)
            {
                sb.Append("  ").AppendLine(p.ToString());
            }
        }

        if (!state.WaitReasonStrings.SequenceEqual(GoRuntime.WaitReasonStrings119))
        {
            sb.Append("wait reasons [").AppendJoin(", ", state.WaitReasonStrings.Select(w => $"\"{w}\"")).AppendLine("]");
        }

        foreach (var m in state.Threads)
        {
            sb.AppendLine(m.ToString());
        }

        sb.Append("data ").AppendLine(state.Data.ToString());
        sb.Append("bss ").AppendLine(state.Bss.ToString());
        foreach (var f in state.FinalizerQueue)
        {
            sb.AppendLine(f.ToString());
        }

        foreach (var b in state.MemProfBuckets)
        {
            sb.AppendLine(b.ToString());
        }

        foreach (var fn in state.Functions)
        {
            sb.Append("symbol ").AppendLine(fn.ToString());
        }

        sb.AppendLine(state.MemStats.ToString());
        return sb.ToString();
    }

    /// <summary>A span, and with <paramref name="slotDetail"/> its first slots (bytes, pointer and scan bits, free mark).</summary>
    public static string Describe(HeapSpan span, int index, bool slotDetail, int ptrSize = 8)
    {
        ArgumentNullException.ThrowIfNull(span);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"span[{index}] {span.State} base=0x{span.Base:x} pages={span.Pages}");
        if (span.State == SpanState.InUse)
        {
            sb.Append(CultureInfo.InvariantCulture, $" elemsize={span.ElemSize} nelems={span.ElemCount} slots={span.SlotCount} free=[{string.Join(",", span.FreeSlots.SetIndices())}]");
        }

        if (!span.Specials.IsDefaultOrEmpty)
        {
            sb.Append(" specials=[").AppendJoin("; ", span.Specials).Append(']');
        }

        if (!slotDetail || span.State != SpanState.InUse || span.ElemSize == 0 || span.Memory.IsDefault)
        {
            return sb.ToString();
        }

        var slots = (int)Math.Min(span.SlotCount, (ulong)MaxSlotsPerSpan);
        var words = (int)(span.ElemSize / (ulong)ptrSize);
        for (var j = 0; j < slots && (ulong)(j + 1) * span.ElemSize <= (ulong)span.Memory.Length; j++)
        {
            sb.AppendLine();
            sb.Append(CultureInfo.InvariantCulture, $"  slot {j} 0x{span.SlotAddress(j):x}{(span.IsFree(j) ? " FREE" : "")} bits=");
            for (var w = 0; w < words && w < 64; w++)
            {
                var word = (j * words) + w;
                if (word >= span.Bits.WordCount)
                {
                    break;
                }

                // p = pointer+scan, s = scalar+scan, . = dead (Go 1.19 two-bit heap bitmap)
                sb.Append(span.Bits.Scan[word] ? (span.Bits.Pointer[word] ? 'p' : 's') : (span.Bits.Pointer[word] ? '!' : '.'));
            }

            sb.Append(' ').Append(Hex(span.SlotBytes(j), MaxHexBytes));
        }

        if (span.SlotCount > MaxSlotsPerSpan)
        {
            sb.AppendLine();
            sb.Append(CultureInfo.InvariantCulture, $"  … {span.SlotCount - MaxSlotsPerSpan} more slots");
        }

        return sb.ToString();
    }

    /// <summary>A goroutine's own fields, one line.</summary>
    public static string DescribeHeader(Goroutine g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return $"goroutine 0x{g.Address:x} status={g.Status} goid={g.Goid} gopc=0x{g.Gopc:x}{(g.IsSystem ? " system" : "")} " +
            $"waitsince={g.WaitSince} waitreason={g.WaitReason} sched(sp=0x{g.SchedSp:x} pc=0x{g.SchedPc:x} lr=0x{g.SchedLr:x} ctxt=0x{g.SchedCtxt:x}) " +
            $"syscall(sp=0x{g.SyscallSp:x} pc=0x{g.SyscallPc:x}) m=0x{g.M:x} frames={g.Frames.Length} defers={g.Defers.Length} panics={g.Panics.Length}";
    }

    /// <summary>Bytes as lowercase hex, abbreviated after <paramref name="max"/> bytes.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes, int max)
    {
        var shown = bytes.Length <= max ? bytes : bytes[..max];
        var hex = Convert.ToHexStringLower(shown);
        return bytes.Length <= max ? (hex.Length == 0 ? "\"\"" : hex) : $"{hex}…({bytes.Length} bytes)";
    }
}
