namespace GoHeapDump.Reference;

/// <summary>Go 1.19's size classes (facts from runtime/sizeclasses.go, class 0 unused): object size and span pages.</summary>
internal static class SizeClasses
{
    /// <summary>Go: class_to_size.</summary>
    public static ReadOnlySpan<ushort> Size =>
    [
        0, 8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
        448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
        3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336, 16384,
        18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
    ];

    /// <summary>Go: class_to_allocnpages.</summary>
    public static ReadOnlySpan<byte> Pages =>
    [
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1,
        2, 1, 2, 1, 3, 2, 3, 1, 3, 2, 3, 4, 5, 6, 1, 7, 6, 5, 4, 3, 5, 7, 2, 9, 7, 5, 8, 3, 10, 7, 4,
    ];

    /// <summary>Go: _MaxSmallSize; larger objects get a span of their own.</summary>
    public const int MaxSmallSize = 32768;

    /// <summary>The smallest class holding <paramref name="size"/> bytes (1 ≤ size ≤ <see cref="MaxSmallSize"/>).</summary>
    public static int ClassFor(int size)
    {
        for (var c = 1; c < Size.Length; c++)
        {
            if (Size[c] >= size)
            {
                return c;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(size), size, "not a small object size");
    }
}
