"""The Streamlit app's pages and shared widgets. The only package that imports streamlit."""
