namespace Flowhive.Collector.State;

/// <summary>Selection without sorting: the k-th smallest of a span in expected O(n), in place, allocating nothing.</summary>
public static class OrderStatistics
{
    /// <summary>The value that would sit at index <paramref name="k"/> (0-based) if <paramref name="values"/> were sorted; reorders the span.</summary>
    public static long NthSmallest(Span<long> values, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, values.Length);
        var low = 0;
        var high = values.Length - 1;
        while (low < high)
        {
            // Median of three: the timestamps this selects from are mostly ascending, where a first-element pivot is quadratic.
            var mid = low + ((high - low) / 2);
            var pivot = MedianOfThree(values[low], values[mid], values[high]);
            var i = low;
            var j = high;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // [low..j] <= pivot, [i..high] >= pivot, and anything between equals the pivot.
            if (k <= j)
            {
                high = j;
            }
            else if (k >= i)
            {
                low = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }

    private static long MedianOfThree(long a, long b, long c) =>
        a < b ? (b < c ? b : Math.Max(a, c)) : (a < c ? a : Math.Max(b, c));
}
