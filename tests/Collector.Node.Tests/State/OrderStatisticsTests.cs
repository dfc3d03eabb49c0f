using Flowhive.Collector.State;

namespace Flowhive.Collector.Node.Tests.State;

public sealed class OrderStatisticsTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(3, 1000)]
    [InlineData(4, 7)]
    public void The_nth_smallest_equals_the_sorted_array_at_n(int seed, int range)
    {
        var random = new Random(seed);
        for (var round = 0; round < 200; round++)
        {
            var values = Enumerable.Range(0, random.Next(1, 400)).Select(_ => (long)random.Next(range)).ToArray();
            var sorted = values.Order().ToArray();
            var k = random.Next(values.Length);
            Assert.Equal(sorted[k], OrderStatistics.NthSmallest(values.ToArray(), k));
        }
    }

    [Fact]
    public void Ascending_descending_and_constant_inputs_are_selected_correctly()
    {
        var ascending = Enumerable.Range(0, 100_000).Select(i => (long)i).ToArray();
        Assert.Equal(9_999, OrderStatistics.NthSmallest(ascending, 9_999));
        var descending = Enumerable.Range(0, 100_000).Select(i => (long)-i).ToArray();
        Assert.Equal(-90_000, OrderStatistics.NthSmallest(descending, 9_999));
        Assert.Equal(5, OrderStatistics.NthSmallest(Enumerable.Repeat(5L, 1000).ToArray(), 500));
    }

    [Fact]
    public void An_index_outside_the_span_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistics.NthSmallest(new long[3], 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderStatistics.NthSmallest(new long[3], -1));
    }
}
