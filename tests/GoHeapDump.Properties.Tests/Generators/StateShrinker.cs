using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Properties.Tests.Generators;

/// <summary>
/// Shrinks a runtime state by removing whole parts (spans, specials, itabs, unreferenced types, goroutines,
/// frames from the outermost end, defers, panics, threads, queued finalizers, memprof buckets and stack PCs,
/// functions, data, bss, memstats, unused arenas), never by editing values so that an invariant breaks. Each
/// candidate goes through the model's constructor again and is dropped when it is not valid, so a failing
/// property shrinks to a small valid state.
/// </summary>
public static class StateShrinker
{
    /// <summary>Smaller valid states, biggest cuts first.</summary>
    public static IEnumerable<RuntimeState> Shrink(RuntimeState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return Candidates(state).Select(make => TryMake(make)).OfType<RuntimeState>();
    }

    private static RuntimeState? TryMake(Func<RuntimeState> make)
    {
        try
        {
            return make();
        }
        catch (ArgumentException)
        {
            return null; // the cut broke an invariant (e.g. a profile special naming a removed bucket): not a candidate
        }
    }

    private static IEnumerable<Func<RuntimeState>> Candidates(RuntimeState s)
    {
        // Whole lists at once.
        if (!s.Goroutines.IsEmpty)
        {
            yield return () => s.With(goroutines: []);
        }

        if (!s.Spans.IsEmpty)
        {
            yield return () => s.With(spans: []);
        }

        if (!s.Itabs.IsEmpty)
        {
            yield return () => s.With(itabs: []);
        }

        if (!s.MemProfBuckets.IsEmpty)
        {
            yield return () => s.With(memProfBuckets: [], spans: s.Spans.Select(x => x with { Specials = [.. x.Specials.Where(p => p is not ProfileSpecial)] }));
        }

        if (!s.Threads.IsEmpty)
        {
            yield return () => s.With(threads: []);
        }

        if (!s.FinalizerQueue.IsEmpty)
        {
            yield return () => s.With(finalizerQueue: []);
        }

        if (!s.Data.Contents.IsEmpty || s.Data.Address != 0)
        {
            yield return () => s.With(data: ModuleSegment.Empty);
        }

        if (!s.Bss.Contents.IsEmpty || s.Bss.Address != 0)
        {
            yield return () => s.With(bss: ModuleSegment.Empty);
        }

        if (!s.MemStats.Scalars.All(v => v == 0) || s.MemStats.NumGC != 0 || s.MemStats.PauseNs.Any(v => v != 0))
        {
            yield return () => s.With(memStats: new MemStats());
        }

        if (!s.WaitReasonStrings.SequenceEqual(GoRuntime.WaitReasonStrings119))
        {
            yield return () => s.With(waitReasonStrings: GoRuntime.WaitReasonStrings119);
        }

        // Halves of long lists, then single parts.
        foreach (var half in Halves(s.Spans))
        {
            yield return () => s.With(spans: half);
        }

        foreach (var half in Halves(s.Itabs))
        {
            yield return () => s.With(itabs: half);
        }

        for (var i = 0; i < s.Goroutines.Length; i++)
        {
            var k = i;
            yield return () => s.With(goroutines: s.Goroutines.RemoveAt(k));
        }

        for (var i = 0; i < s.Spans.Length; i++)
        {
            var k = i;
            yield return () => s.With(spans: s.Spans.RemoveAt(k));
        }

        for (var i = 0; i < s.Itabs.Length; i++)
        {
            var k = i;
            yield return () => s.With(itabs: s.Itabs.RemoveAt(k));
        }

        var referenced = s.Itabs.Where(t => t.Type is not null).Select(t => t.Type!.Address).ToHashSet();
        for (var i = 0; i < s.Types.Length; i++)
        {
            var k = i;
            if (!referenced.Contains(s.Types[i].Address))
            {
                yield return () => s.With(types: s.Types.RemoveAt(k));
            }
        }

        // Simpler names: a type keeps its identity (address, hash) but gets a short name, in every itab too.
        for (var i = 0; i < s.Types.Length; i++)
        {
            var t = s.Types[i];
            var simple = t with { Str = "T", ExtraStar = false, PkgPath = null };
            if (!simple.Equals(t))
            {
                yield return () => s.With(types: s.Types.SetItem(s.Types.IndexOf(t), simple), itabs: s.Itabs.Select(x => x.Type == t ? x with { Type = simple } : x));
            }
        }

        if (s.Platform.Goarch.Length > 8 || s.Platform.VersionInfo.Length > 8)
        {
            yield return () => s.With(platform: s.Platform with { Goarch = "arch", VersionInfo = "" });
        }

        // Inside goroutines: frames from the outermost end, all frames, defers, panics.
        for (var i = 0; i < s.Goroutines.Length; i++)
        {
            var k = i;
            var g = s.Goroutines[i];
            if (g.Frames.Length > 1)
            {
                yield return () => s.With(goroutines: s.Goroutines.SetItem(k, g with { Frames = [] }));
            }

            if (!g.Frames.IsEmpty)
            {
                yield return () => s.With(goroutines: s.Goroutines.SetItem(k, g with { Frames = g.Frames.RemoveAt(g.Frames.Length - 1) }));
            }

            for (var d = 0; d < g.Defers.Length; d++)
            {
                var j = d;
                yield return () => s.With(goroutines: s.Goroutines.SetItem(k, g with { Defers = g.Defers.RemoveAt(j) }));
            }

            for (var p = 0; p < g.Panics.Length; p++)
            {
                var j = p;
                yield return () => s.With(goroutines: s.Goroutines.SetItem(k, g with { Panics = g.Panics.RemoveAt(j) }));
            }
        }

        // Inside spans: specials; an in-use span becomes dead (its slots leave the dump).
        for (var i = 0; i < s.Spans.Length; i++)
        {
            var k = i;
            var span = s.Spans[i];
            if (span.State != SpanState.Dead)
            {
                yield return () => s.With(spans: s.Spans.SetItem(k, new HeapSpan { Base = span.Base, Pages = span.Pages, State = SpanState.Dead, Specials = span.Specials }));
            }

            for (var j = 0; j < span.Specials.Length; j++)
            {
                var x = j;
                yield return () => s.With(spans: s.Spans.SetItem(k, span with { Specials = span.Specials.RemoveAt(x) }));
            }
        }

        for (var i = 0; i < s.Threads.Length; i++)
        {
            var k = i;
            yield return () => s.With(threads: s.Threads.RemoveAt(k));
        }

        for (var i = 0; i < s.FinalizerQueue.Length; i++)
        {
            var k = i;
            yield return () => s.With(finalizerQueue: s.FinalizerQueue.RemoveAt(k));
        }

        for (var i = 0; i < s.MemProfBuckets.Length; i++)
        {
            var k = i;
            var b = s.MemProfBuckets[i];
            yield return () => s.With(memProfBuckets: s.MemProfBuckets.RemoveAt(k));
            if (!b.Stack.IsEmpty)
            {
                yield return () => s.With(memProfBuckets: s.MemProfBuckets.SetItem(k, b with { Stack = b.Stack.RemoveAt(b.Stack.Length - 1) }));
            }
        }

        // Functions no frame uses (memprof PCs in them become unresolved: still a valid state).
        var used = s.Goroutines.SelectMany(g => g.Frames).Select(f => f.Function).OfType<FuncInfo>().ToHashSet(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < s.Functions.Length; i++)
        {
            var k = i;
            if (!used.Contains(s.Functions[i]))
            {
                yield return () => s.With(functions: s.Functions.RemoveAt(k));
            }
        }

        // Arenas no span needs.
        for (var i = 0; i < s.Arenas.Length; i++)
        {
            var k = i;
            yield return () => s.With(arenas: s.Arenas.RemoveAt(k));
        }
    }

    private static IEnumerable<ImmutableArray<T>> Halves<T>(ImmutableArray<T> items)
    {
        if (items.Length >= 4)
        {
            yield return items[..(items.Length / 2)];
            yield return items[(items.Length / 2)..];
        }
    }
}
