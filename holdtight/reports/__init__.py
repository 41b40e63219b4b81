"""Results turned into things people read and tools consume."""
