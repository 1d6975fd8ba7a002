"""The interest feed (兴趣电商): what shoppers show interest in, the items like it, and the feed
that each shopper is shown with the reason for each item."""
