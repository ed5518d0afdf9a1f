using System.Collections.Immutable;

namespace GoHeapDump.Runtime;

/// <summary>
/// The heap's spans in mheap_.allspans order, as the dump walks them (Go: runtime/heapdump.go dumpobjs, dumproots,
/// dumpmemprof each loop over mheap_.allspans). A state's <see cref="RuntimeState.Spans"/> are one; a generator may
/// instead produce each span's memory and bitmaps on demand while the writer walks, so that a dump of any size is
/// written in bounded memory. Either way the writer's traversal is the same code.
/// </summary>
/// <remarks>Each call walks again from the first span and gives the same spans; walks are not concurrent.</remarks>
public abstract class AllSpans
{
    /// <summary>Every span in allspans order, in-use spans whole (memory, bitmaps, free slots): dumpobjs' walk.</summary>
    public abstract IEnumerable<HeapSpan> Walk();

    /// <summary>
    /// <see cref="Walk"/> for a reader done with each span when it asks for the next (dumpobjs reads each once): a span's
    /// memory may then be given again to a later span, so that a produced walk does not allocate the heap's bytes anew.
    /// </summary>
    public virtual IEnumerable<HeapSpan> WalkOnce() => Walk();

    /// <summary>
    /// The specials of the in-use spans, in allspans order then list order, with the base of their span: the walk of
    /// dumproots (finalizers) and dumpmemprof (alloc samples), which read nothing else of a span.
    /// </summary>
    public abstract IEnumerable<(ulong SpanBase, SpanSpecial Special)> Specials();

    /// <summary>The spans of a materialised state.</summary>
    public static AllSpans Of(ImmutableArray<HeapSpan> spans) => new Materialised(spans);

    private sealed class Materialised(ImmutableArray<HeapSpan> spans) : AllSpans
    {
        public override IEnumerable<HeapSpan> Walk() => spans;

        public override IEnumerable<(ulong SpanBase, SpanSpecial Special)> Specials()
        {
            foreach (var span in spans)
            {
                if (span.State != SpanState.InUse)
                {
                    continue;
                }

                foreach (var special in span.Specials)
                {
                    yield return (span.Base, special);
                }
            }
        }
    }
}
