"""The lobby ticket kiosk (取号机): customers take their own number."""
