"""The finsam CLI and the Streamlit app."""
