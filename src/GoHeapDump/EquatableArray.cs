using System.Collections;

namespace GoHeapDump;

/// <summary>
/// An immutable array with value equality, so that records holding lists (field lists, memprof frames,
/// PauseNs) compare by content. The wrapped array must not be changed after construction.
/// </summary>
public readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
    where T : IEquatable<T>
{
    private readonly T[]? _items;

    /// <summary>Wraps <paramref name="items"/> without copying; the caller gives up the array.</summary>
    public EquatableArray(T[] items) => _items = items ?? throw new ArgumentNullException(nameof(items));

    public int Count => _items?.Length ?? 0;

    public T this[int index] => (_items ?? [])[index];

    /// <summary>The items as a span.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in AsSpan())
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? [])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

    public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);

#pragma warning disable CA1000, CA2225 // Conversion from an array is the natural way to build one.
    public static implicit operator EquatableArray<T>(T[] items) => new(items);
#pragma warning restore CA1000, CA2225

    public override string ToString() => $"[{string.Join(", ", _items ?? [])}]";
}
