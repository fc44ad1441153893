"""The lobby calling display (叫号屏): calls in large type, spoken and flashed."""
