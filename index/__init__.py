"""Search: Swedish lexical index, dense FAISS index, fusion, decisions."""
