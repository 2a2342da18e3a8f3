"""Analysis: disclosure control, forecast, costs and drivers."""
