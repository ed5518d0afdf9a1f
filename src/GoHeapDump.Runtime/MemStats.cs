using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>
/// runtime.MemStats as readmemstats_m filled it before the dump. Go: runtime/mstats.go MemStats; the dump
/// writes the fields below in declaration order (runtime/heapdump.go dumpmemstats).
/// </summary>
public sealed record MemStats
{
    /// <summary>Go: MemStats.Alloc.</summary>
    public ulong Alloc { get; init; }

    /// <summary>Go: MemStats.TotalAlloc.</summary>
    public ulong TotalAlloc { get; init; }

    /// <summary>Go: MemStats.Sys.</summary>
    public ulong Sys { get; init; }

    /// <summary>Go: MemStats.Lookups.</summary>
    public ulong Lookups { get; init; }

    /// <summary>Go: MemStats.Mallocs.</summary>
    public ulong Mallocs { get; init; }

    /// <summary>Go: MemStats.Frees.</summary>
    public ulong Frees { get; init; }

    /// <summary>Go: MemStats.HeapAlloc.</summary>
    public ulong HeapAlloc { get; init; }

    /// <summary>Go: MemStats.HeapSys.</summary>
    public ulong HeapSys { get; init; }

    /// <summary>Go: MemStats.HeapIdle.</summary>
    public ulong HeapIdle { get; init; }

    /// <summary>Go: MemStats.HeapInuse.</summary>
    public ulong HeapInuse { get; init; }

    /// <summary>Go: MemStats.HeapReleased.</summary>
    public ulong HeapReleased { get; init; }

    /// <summary>Go: MemStats.HeapObjects.</summary>
    public ulong HeapObjects { get; init; }

    /// <summary>Go: MemStats.StackInuse.</summary>
    public ulong StackInuse { get; init; }

    /// <summary>Go: MemStats.StackSys.</summary>
    public ulong StackSys { get; init; }

    /// <summary>Go: MemStats.MSpanInuse.</summary>
    public ulong MSpanInuse { get; init; }

    /// <summary>Go: MemStats.MSpanSys.</summary>
    public ulong MSpanSys { get; init; }

    /// <summary>Go: MemStats.MCacheInuse.</summary>
    public ulong MCacheInuse { get; init; }

    /// <summary>Go: MemStats.MCacheSys.</summary>
    public ulong MCacheSys { get; init; }

    /// <summary>Go: MemStats.BuckHashSys.</summary>
    public ulong BuckHashSys { get; init; }

    /// <summary>Go: MemStats.GCSys.</summary>
    public ulong GCSys { get; init; }

    /// <summary>Go: MemStats.OtherSys.</summary>
    public ulong OtherSys { get; init; }

    /// <summary>Go: MemStats.NextGC.</summary>
    public ulong NextGC { get; init; }

    /// <summary>Go: MemStats.LastGC.</summary>
    public ulong LastGC { get; init; }

    /// <summary>Go: MemStats.PauseTotalNs.</summary>
    public ulong PauseTotalNs { get; init; }

    /// <summary>Go: MemStats.PauseNs, exactly 256 values.</summary>
    public ImmutableArray<ulong> PauseNs { get; init; } = ImmutableArray.Create(new ulong[256]);

    /// <summary>Go: MemStats.NumGC (uint32).</summary>
    public uint NumGC { get; init; }

    /// <summary>The 24 scalars in the order the dump writes them.</summary>
    public ImmutableArray<ulong> Scalars =>
    [
        Alloc, TotalAlloc, Sys, Lookups, Mallocs, Frees, HeapAlloc, HeapSys, HeapIdle, HeapInuse, HeapReleased, HeapObjects,
        StackInuse, StackSys, MSpanInuse, MSpanSys, MCacheInuse, MCacheSys, BuckHashSys, GCSys, OtherSys, NextGC, LastGC, PauseTotalNs,
    ];

    /// <summary>
    /// The memstats readmemstats_m reports for <paramref name="spans"/>, with what the heap model does not hold
    /// (frees, sys mappings, GC history) taken from <paramref name="rest"/>. Go: runtime/mstats.go readmemstats_m:
    /// HeapAlloc = Alloc and HeapObjects from the allocated (non-free) slots of in-use spans, Mallocs = HeapObjects +
    /// Frees, TotalAlloc = Alloc + the bytes freed (<paramref name="freedBytes"/>), HeapInuse from in-use spans,
    /// StackInuse from stack (manual) spans, HeapIdle = HeapSys − HeapInuse, StackSys at least StackInuse, Sys the
    /// sum of the seven *Sys fields. The identities are what the strict rules V16–V19 check in a dump.
    /// </summary>
    public static MemStats Read(IEnumerable<HeapSpan> spans, MemStats rest, ulong freedBytes)
    {
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(rest);
        ulong objects = 0, alloc = 0, heapInuse = 0, stackInuse = 0;
        foreach (var s in spans)
        {
            if (s.State == SpanState.InUse)
            {
                // Go 1.22+ spans may dump slots past nelems (heap bits in the span's tail); the allocator counts only nelems.
                var live = (s.ElemCount > 0 ? (ulong)s.ElemCount : s.SlotCount) - (ulong)s.FreeSlots.PopCount;
                objects += live;
                alloc += live * s.ElemSize;
                heapInuse += s.ByteCount;
            }
            else if (s.State == SpanState.Manual)
            {
                stackInuse += s.ByteCount;
            }
        }

        var heapSys = Math.Max(rest.HeapSys, heapInuse);
        var stackSys = Math.Max(rest.StackSys, stackInuse);
        return rest with
        {
            Alloc = alloc,
            TotalAlloc = alloc + freedBytes,
            Mallocs = objects + rest.Frees,
            HeapAlloc = alloc,
            HeapSys = heapSys,
            HeapIdle = heapSys - heapInuse,
            HeapInuse = heapInuse,
            HeapReleased = Math.Min(rest.HeapReleased, heapSys - heapInuse),
            HeapObjects = objects,
            StackInuse = stackInuse,
            StackSys = stackSys,
            MSpanSys = Math.Max(rest.MSpanSys, rest.MSpanInuse),
            MCacheSys = Math.Max(rest.MCacheSys, rest.MCacheInuse),
            Sys = heapSys + stackSys + Math.Max(rest.MSpanSys, rest.MSpanInuse) + Math.Max(rest.MCacheSys, rest.MCacheInuse)
                + rest.BuckHashSys + rest.GCSys + rest.OtherSys,
        };
    }

    public override string ToString() =>
        $"memstats [{string.Join(" ", Scalars)}] pause_ns[{PauseNs.Length}]={{{string.Join(" ", PauseNs.Take(4))}…}} numgc={NumGC}";
}
