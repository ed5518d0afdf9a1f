using System.Collections.Immutable;
using GoHeapDump.Runtime;

namespace GoHeapDump.Reference;

public static partial class StateBuilder
{
    /// <summary>The state generator: OS threads, data and bss, the finalizer queue, memprof buckets, memstats.</summary>
    private sealed partial class Generator
    {
        private List<OsThread> BuildThreads(int ncpu)
        {
            var threads = new List<OsThread>();
            var n = ncpu + 1 + _rng.Next(3);
            for (var i = 0; i < n; i++)
            {
                threads.Add(new OsThread(i == 0 ? _bssBase + 0x400 : _persistentBase + 0x20000 + ((ulong)i * 0x400), i, (ulong)(4000 + (i * 3) + _rng.Next(3))));
            }

            return threads;
        }

        private ModuleSegment BuildSegment(ulong address, int bytes, double pointerFraction, double zeroFraction)
        {
            bytes = bytes / _ptr * _ptr;
            var contents = new byte[bytes];
            var words = bytes / _ptr;
            var mask = new BitVector.Builder(words);
            for (var w = 0; w < words; w++)
            {
                var isPointer = _rng.Chance(pointerFraction);
                mask[w] = isPointer;
                if (_rng.Chance(zeroFraction))
                {
                    continue;
                }

                WriteWord(contents.AsSpan(w * _ptr, _ptr), isPointer ? RandomPointerValue() : (ulong)_rng.Next(1 << 20));
            }

            return new ModuleSegment(address, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(contents), mask.ToBitVector());
        }

        private List<QueuedFinalizer> BuildFinalizerQueue()
        {
            var queue = new List<QueuedFinalizer>();
            var n = _objectSpans.Count == 0 ? 0 : _rng.Next(1, 4);
            for (var i = 0; i < n; i++)
            {
                var (span, slot) = RandomLiveObject();
                queue.Add(new QueuedFinalizer(span.Base + ((ulong)slot * span.ElemSize), new FuncVal(_dataBase + (ulong)(_ptr * (64 + i)), Function("main.process").Entry), _rng.Pick(_types).Address, _rng.Pick(_types).Address));
            }

            return queue;
        }

        private void BuildBuckets()
        {
            var n = Math.Clamp(5 + (_objects / 50000), 5, 200);
            var address = _persistentBase;
            for (var i = 0; i < n; i++)
            {
                var depth = _rng.Next(2, 9);
                var stack = ImmutableArray.CreateBuilder<ulong>(depth);
                for (var k = 0; k < depth; k++)
                {
                    var roll = _rng.Next(20);
                    stack.Add(roll switch
                    {
                        0 => 0x1a2b, // no function here: written as "(0x1a2b)"
                        1 when k == depth - 1 => 0, // "(0x0)"
                        2 => _functions[_rng.Next(_functions.Count)].Entry, // pc == entry: no pc−1
                        _ => PcIn(_functions[_rng.Next(_functions.Count)], false),
                    });
                }

                var allocs = (ulong)_rng.Next(1, 10000);
                _buckets.Add(new MemProfBucket(address, (ulong)SizeClasses.Size[_rng.Next(1, 30)], stack.MoveToImmutable(), allocs, allocs - (ulong)_rng.Next((int)allocs)));
                address += (ulong)(0x60 + (depth * _ptr) + (_rng.Next(4) * 0x10));
            }
        }

        private MemStats BuildMemStats()
        {
            ulong inuse = 0, stackInuse = 0;
            foreach (var s in _spans)
            {
                inuse += s.State == SpanState.InUse ? s.ByteCount : 0;
                stackInuse += s.State == SpanState.Manual ? s.ByteCount : 0;
            }

            var numGC = (uint)_rng.Next(3, 400);
            var pauses = new ulong[256];
            ulong pauseTotal = 0;
            for (var i = 0; i < Math.Min(numGC, 256u); i++)
            {
                pauses[i] = (ulong)_rng.Next(20_000, 900_000);
                pauseTotal += pauses[i];
            }

            var heapSys = AlignUp(inuse + stackInuse, 4UL << 20) + (4UL << 20);
            var frees = (ulong)_rng.Next(1 << 20);
            var other = (ulong)_rng.Next(1 << 20, 4 << 20);
            // What the heap model does not hold; MemStats.Read derives the rest from the spans as readmemstats_m does.
            var rest = new MemStats
            {
                Frees = frees,
                HeapSys = heapSys,
                HeapReleased = (heapSys - inuse) / 2,
                StackSys = stackInuse + (512UL << 10),
                MSpanInuse = (ulong)_spans.Count * 160,
                MSpanSys = AlignUp((ulong)_spans.Count * 160, 16384),
                MCacheInuse = 14400,
                MCacheSys = 15600,
                BuckHashSys = 1_500_000 + (ulong)_rng.Next(100_000),
                GCSys = (inuse / 32) + (1UL << 20),
                OtherSys = other,
                LastGC = 1_700_000_000_000_000_000UL + (ulong)_rng.Next(1 << 30),
                PauseTotalNs = pauseTotal,
                PauseNs = [.. pauses],
                NumGC = numGC,
            };
            var stats = MemStats.Read(_spans.Select(Header), rest, frees * 32);
            return stats with { NextGC = Math.Max(4UL << 20, stats.HeapAlloc * 2) };
        }
    }
}
